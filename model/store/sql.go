package store

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/auditui/auditui/model"
)

// What the SQL backends share: the same columns answer the same filters,
// paged the same way.

// Where is the SQL condition (" WHERE ...", or "" for none) for what of f
// the indexed columns can answer, with placeholder(i) naming argument i
// (from 1); f.Match checks each row as well, so the answer is exactly the
// filter's.
func Where(f model.Filter, placeholder func(int) string) (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return placeholder(len(args))
	}
	in := func(values []string, conv func(string) string) string {
		names := make([]string, len(values))
		for i, v := range values {
			names[i] = arg(conv(v))
		}
		return "(" + strings.Join(names, ", ") + ")"
	}
	same := func(s string) string { return s }
	if len(f.Types) > 0 {
		conds = append(conds, "type IN "+in(f.Types, same))
	}
	if len(f.ActorEmails) > 0 {
		conds = append(conds, "actor_email IN "+in(f.ActorEmails, same))
	}
	if len(f.ProjectIDs) > 0 {
		conds = append(conds, "project_id IN "+in(f.ProjectIDs, same))
	}
	if len(f.IPs) > 0 {
		conds = append(conds, "ip IN "+in(f.IPs, same))
	}
	if len(f.ActorIDs) > 0 {
		conds = append(conds, "pos IN (SELECT pos FROM actor_ids WHERE actor_id IN "+in(f.ActorIDs, same)+")")
	}
	if len(f.ResourceIDs) > 0 {
		conds = append(conds, "pos IN (SELECT pos FROM resource_ids WHERE resource_id IN "+in(f.ResourceIDs, same)+")")
	}
	if !f.Since.IsZero() {
		conds = append(conds, "at >= "+arg(f.Since.UnixNano()))
	}
	if !f.Until.IsZero() {
		conds = append(conds, "at < "+arg(f.Until.UnixNano()))
	}
	if f.TenantOnly {
		conds = append(conds, "listing = "+arg(string(TenantOnly)))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Batch reads up to n stored events matching a query's pushed-down
// condition, newest first (ties by id), after the event with id after (""
// for the newest).
type Batch func(after string, n int) ([]model.Event, error)

// Pages pages what batch reads as the API pages: q.PageSize at a time,
// starting after q.After, each row checked by q.Filter.Match too; rows it
// drops are made up from further down.
func Pages(q model.Query, batch Batch) iter.Seq2[model.Page, error] {
	return func(yield func(model.Page, error) bool) {
		size := cmp.Or(q.PageSize, model.DefaultPageSize)
		if size < 1 || size > model.DefaultPageSize {
			yield(model.Page{}, fmt.Errorf("page size %d is out of range: use 1 to %d", q.PageSize, model.DefaultPageSize))
			return
		}
		after := q.After
		ahead := &readAhead{batch: batch, rows: aheadPages * size}
		for number := 1; ; number++ {
			p, err := page(q.Filter, ahead.read, after, size)
			if err != nil {
				yield(model.Page{}, err)
				return
			}
			p.Number = number
			if !yield(p, nil) || !p.HasMore {
				return
			}
			after = p.LastID
		}
	}
}

// aheadPages is how many pages a query reads per batch after its first
// page: one SQL query per page was 40% of a store's reopen (prepare, plan,
// the keyset lookup), the first page stays one page for its first rows.
const aheadPages = 10

// readAhead serves a query's batches from rows it read ahead, reading again
// when they run short or when asked after an event it does not hold.
type readAhead struct {
	batch Batch
	rows  int
	from  string // the id buf begins right after
	buf   []model.Event
	begun bool
	reads int
	end   bool // buf runs to the last matching row
}

func (a *readAhead) read(after string, n int) ([]model.Event, error) {
	if !a.begun || after != a.from {
		i := slices.IndexFunc(a.buf, func(e model.Event) bool { return e.ID == after })
		if !a.begun || i < 0 {
			a.buf, a.end = nil, false
		} else {
			a.buf = a.buf[i+1:]
		}
		a.begun, a.from = true, after
	}
	if len(a.buf) < n && !a.end {
		from, want := a.from, n
		if a.reads > 0 {
			want = max(n, a.rows)
		}
		if len(a.buf) > 0 {
			from = a.buf[len(a.buf)-1].ID
		}
		got, err := a.batch(from, want)
		if err != nil {
			return nil, err
		}
		a.reads++
		a.end = len(got) < want
		a.buf = append(slices.Clip(a.buf), got...)
	}
	return a.buf[:min(n, len(a.buf))], nil
}

func page(f model.Filter, batch Batch, after string, size int) (model.Page, error) {
	var p model.Page
	for {
		events, err := batch(after, size+1)
		if err != nil {
			return p, err
		}
		for i := range events {
			if !f.Match(&events[i]) {
				continue
			}
			if len(p.Events) == size {
				p.HasMore = true
				break
			}
			p.Events = append(p.Events, events[i])
		}
		if p.HasMore || len(events) < size+1 {
			break
		}
		after = events[len(events)-1].ID
	}
	if n := len(p.Events); n > 0 {
		p.FirstID, p.LastID = p.Events[0].ID, p.Events[n-1].ID
	}
	return p, nil
}

// SinceBatch is how many events a backend's Since reads per query, so that a
// slow follower does not hold a read snapshot open.
const SinceBatch = 1000

// SinceBatches yields what read returns, batch after batch, each read asking
// for up to SinceBatch events stored after the last one yielded, until a
// batch comes back short: a backend's Since, given its one query.
func SinceBatches(after int64, read func(after int64) ([]Stored, error)) iter.Seq2[Stored, error] {
	return func(yield func(Stored, error) bool) {
		for {
			batch, err := read(after)
			if err != nil {
				yield(Stored{}, err)
				return
			}
			for _, st := range batch {
				if !yield(st, nil) {
					return
				}
				after = st.Pos
			}
			if len(batch) < SinceBatch {
				return
			}
		}
	}
}

// WaitAfter is a backend's Wait: it returns once last says events are
// stored after position after, asking again each time the channel wake gave
// before the previous ask yields (taken first, so no change falls between).
func WaitAfter[T any](ctx context.Context, after int64, last func(context.Context) (int64, error), wake func() <-chan T) error {
	for {
		changed := wake()
		n, err := last(ctx)
		if err != nil {
			return err
		}
		if n > after {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// Decode reads a stored record; one that cannot be read means the store at
// location was changed by something other than auditui.
func Decode(location string, raw []byte) (model.Event, error) {
	e, err := model.DecodeEvent(raw)
	if err != nil {
		return e, fmt.Errorf("the store %s holds a record that cannot be read (%v): it was changed outside auditui", location, err)
	}
	return e, nil
}
