package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/export"
	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/syncer"
	"github.com/auditui/auditui/openai/fakeapi"
)

// DefaultInterval is how often --follow polls the API for new events.
const DefaultInterval = 30 * time.Second

// progressLine is one stderr line rewritten with how a sync is going, at
// most ten times a second; it holds only numbers, so needs no sanitising.
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	last  time.Time
	shown bool
}

func (p *progressLine) update(pr syncer.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond {
		p.last = now
		rate := 0.0
		if s := pr.Elapsed.Seconds(); s > 0 {
			rate = float64(pr.Stored) / s
		}
		fmt.Fprintf(p.w, "\r\x1b[Kauditui: %d events stored, %d pages, %.0f events/s, %d slices left", pr.Stored, pr.Pages, rate, pr.Slices)
		p.shown = true
	}
}

// clear removes the line, so the summary takes its place.
func (p *progressLine) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// syncRounds syncs st from api once, or with follow every interval until ctx
// ends. A failed round while following is said in one line and tried again
// at the next interval, unless the API is another organisation's; each
// round that stores something, or the only round, ends with a summary line.
func (a *app) syncRounds(ctx context.Context, st store.Store, api model.Source, opts syncer.Options, follow bool, interval time.Duration, after func() error) error {
	var bar *progressLine
	if a.isTerminal(a.stderr) {
		bar = &progressLine{w: a.stderr}
		opts.Progress = bar.update
	}
	total := 0
	for {
		res, err := syncer.Sync(ctx, api, st, opts)
		if bar != nil {
			bar.clear()
		}
		total += res.Stored
		if !follow || res.Stored > 0 {
			fmt.Fprintf(a.stderr, "auditui: %s stored in %s (%d listed, %d requests, %s)\n",
				newEvents(res.Stored), sanitize.OneLine(st.Location()), res.Listed, res.Requests, res.Elapsed.Round(time.Millisecond))
		}
		switch {
		case ctx.Err() != nil:
			return interrupted{total}
		case err != nil && (!follow || errors.Is(err, syncer.ErrOtherOrganisation) || errors.Is(err, store.ErrSyncTaken)):
			return runFailure{err}
		case err != nil:
			fmt.Fprintf(a.stderr, "auditui: %s; trying again in %s\n", sanitize.OneLine(err.Error()), interval)
		}
		if after != nil {
			if err := after(); err != nil {
				return err
			}
		}
		if !follow {
			return nil
		}
		select {
		case <-ctx.Done():
			return interrupted{total}
		case <-time.After(interval):
		}
	}
}

// followBatch is how many events export --follow writes between
// checkpoints: a collector killed with kill -9 repeats at most this many.
const followBatch = 500

// follower writes the events of a store after a checkpoint that a query
// selects, as JSON Lines, and moves the checkpoint past what reached the
// output.
type follower struct {
	st      store.Store
	name    string
	match   func(*model.Event) bool
	w       export.Writer
	pos     int64 // the last position handled
	written int
}

// drain writes every event stored after f.pos that the query selects. It
// stops at an event boundary when ctx ends, and records the checkpoint
// after each batch that reached the output and at the end (even when
// cancelled), so a stopped collector neither skips nor repeats.
func (f *follower) drain(ctx context.Context) error {
	n := 0
	var failed error
	for item, err := range f.st.Since(ctx, f.pos) {
		if err != nil {
			if ctx.Err() == nil {
				failed = err
			}
			break
		}
		if f.match(&item.Event) {
			if err := f.w.Write(&item.Event); err != nil {
				return err
			}
			f.written++
			n++
		}
		f.pos = item.Pos
		if n == followBatch {
			if err := f.commit(ctx); err != nil {
				return err
			}
			n = 0
		}
		if ctx.Err() != nil {
			break
		}
	}
	if err := f.commit(ctx); err != nil {
		return err
	}
	return failed
}

// commit flushes the output and then records the position it reached; a
// cancelled ctx still records it, since what was written is out.
func (f *follower) commit(ctx context.Context) error {
	if err := f.w.Flush(); err != nil {
		return err
	}
	return f.st.SetCheckpoint(context.WithoutCancel(ctx), f.name, f.pos)
}

// followExport is export --follow: every stored event the query selects
// that checkpoint has not passed, then each new one as it arrives, from
// syncs it runs every interval or, offline, from whatever else syncs the
// store.
func (a *app) followExport(ctx context.Context, fl *filterFlags, s search, checkpoint string, interval time.Duration) error {
	if fl.noStore || fl.file != "" {
		return usagef("export --follow follows the local store: it cannot be used with --no-store or --file")
	}
	if interval <= 0 {
		return usagef("--interval must be more than 0, such as 30s")
	}
	if checkpoint == "" {
		return usagef("--checkpoint needs a name, such as siem")
	}
	if fl.demo {
		// The demo follows its own growing organisation through a store of
		// its own, so a pipe can be tried with no key.
		d, err := startDemoStore(ctx)
		if err != nil {
			return err
		}
		defer d.stop()
		return a.follow(ctx, d.st, d.api, d.opts, s, checkpoint, min(interval, fakeapi.DemoGrowEvery))
	}
	path := fl.storePath
	if path == "" {
		var err error
		if path, err = defaultStorePath(); err != nil {
			return runFailure{err}
		}
	}
	var api model.Source
	var opts syncer.Options
	if !fl.offline {
		cfg, err := fl.config()
		if err != nil {
			return err
		}
		api, opts = a.syncFrom(cfg, syncer.DefaultConcurrency)
	}
	// Online it makes the store, as sync does; offline it needs one.
	st, err := openStoreAt(path, !fl.offline)
	if err != nil {
		return runFailure{err}
	}
	defer st.Close()
	return a.follow(ctx, st, api, opts, s, checkpoint, interval)
}

// follow writes what checkpoint has not passed in st, then each new event,
// syncing from api every interval or, when api is nil, waiting for others.
func (a *app) follow(ctx context.Context, st store.Store, api model.Source, opts syncer.Options, s search, checkpoint string, interval time.Duration) error {
	pos, err := st.Checkpoint(ctx, checkpoint)
	if err != nil {
		return runFailure{err}
	}
	// A collector that cannot keep its place (a read-only role) would
	// repeat itself when run again: it is said before anything is written.
	if err := st.SetCheckpoint(ctx, checkpoint, pos); err != nil {
		return runFailure{err}
	}
	w, err := a.newWriter(export.JSONL)
	if err != nil {
		return runFailure{err}
	}
	f := &follower{st: st, name: checkpoint, w: w, pos: pos, match: func(e *model.Event) bool {
		return s.plan.Match(e) && store.Listed(s.plan.Server, e)
	}}
	fmt.Fprintln(a.stderr, "auditui: "+sanitize.OneLine(fmt.Sprintf("following the store %s from checkpoint %q (position %d)", st.Location(), checkpoint, pos)))
	drain := func() error {
		// drain leaves out what cancelling ends; a place that could not be
		// kept, even at Ctrl-C, is said.
		if err := f.drain(ctx); err != nil {
			return runFailure{err}
		}
		return nil
	}
	if api != nil {
		err = a.syncRounds(ctx, st, api, opts, true, interval, drain)
		var intr interrupted
		if errors.As(err, &intr) {
			return interrupted{f.written}
		}
		return err
	}
	for {
		if err := drain(); err != nil {
			return err
		}
		if err := st.Wait(ctx, f.pos); err != nil {
			return finished(ctx, err, f.written)
		}
	}
}

// newEvents says "1 new event" or "12 new events".
func newEvents(n int) string {
	if n == 1 {
		return "1 new event"
	}
	return fmt.Sprintf("%d new events", n)
}
