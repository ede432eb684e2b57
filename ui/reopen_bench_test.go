//go:build unix

package ui

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/sqlite"
	"github.com/auditui/auditui/openai/fakeapi"
)

// reopenEvents is how many events BenchmarkReopen opens: AUDITUI_BENCH_EVENTS
// when set (a quicker run), else the million.
func reopenEvents() int {
	if n, err := strconv.Atoi(os.Getenv("AUDITUI_BENCH_EVENTS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// reopenFiles writes the synthetic organisation into a store and a JSONL
// file in a temporary directory, removed when b ends.
func reopenFiles(b *testing.B, n int) (string, string) {
	f := &struct {
		store, file string
		err         error
	}{}
	func() {
		dir, err := os.MkdirTemp("", "auditui-reopen-")
		if f.err = err; err != nil {
			return
		}
		b.Cleanup(func() { os.RemoveAll(dir) })
		events := fakeapi.Org(fakeapi.OrgOptions{Events: n, Seed: 1, Now: testNow})
		f.store, f.file = filepath.Join(dir, "org.db"), filepath.Join(dir, "org.jsonl")
		if f.err = writeJSONL(f.file, events); f.err != nil {
			return
		}
		st, err := sqlite.Open(f.store, sqlite.Options{Create: true})
		if f.err = err; err != nil {
			return
		}
		defer st.Close()
		for lo := 0; lo < len(events) && f.err == nil; lo += 5000 {
			batch := events[lo:min(lo+5000, len(events))]
			for _, l := range store.Listings {
				var of []model.Event
				for i := range batch {
					if store.ListingOf(&batch[i]) == l {
						of = append(of, batch[i])
					}
				}
				if _, f.err = st.Write(context.Background(), l, of, store.Range{}); f.err != nil {
					break
				}
			}
		}
	}()
	if f.err != nil {
		b.Fatal(f.err)
	}
	return f.store, f.file
}

func writeJSONL(path string, events []model.Event) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(fh)
	for i := range events {
		w.Write(events[i].Raw)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

// reopenRun is one opening of the browser: when the first rows were drawn,
// when every event was loaded, and the heap then.
type reopenRun struct {
	first, all time.Duration
	cpu        time.Duration // of every goroutine, to every event loaded
	heapMB     float64
	loaded     int
}

// openAndLoad opens a 160x45 browser with opts, as Run does, and runs its
// commands on goroutines until loading has ended and every loaded event is
// shown: the n events, less the tenant-only ones a store's "no query"
// leaves out.
func openAndLoad(b *testing.B, start time.Time, cpu0 time.Duration, opts Options, n int) reopenRun {
	opts.Now, opts.Location = func() time.Time { return testNow }, testZone
	m := New(opts)
	m.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	m = send(m, tea.WindowSizeMsg{Width: 160, Height: 45})
	var r reopenRun
	msgs := make(chan tea.Msg, 1024)
	run := func(c tea.Cmd) {
		if c != nil {
			go func() { msgs <- c() }()
		}
	}
	run(m.Init())
	for {
		msg := <-msgs
		switch msg := msg.(type) {
		case nil, spinner.TickMsg:
			continue
		case tea.BatchMsg:
			for _, c := range msg {
				run(c)
			}
			continue
		default:
			nm, next := m.Update(msg)
			m = nm.(*Model)
			run(next)
		}
		if r.first == 0 && m.list.Len() > 0 {
			_ = m.View() // drawn
			r.first = time.Since(start)
		}
		if (m.stream.exhausted || m.paused()) && m.set.Len() > 0 && m.list.Len() == m.set.Len() && !m.filter.job.running {
			if m.set.Len() < n*9/10 || m.set.Len() > n {
				b.Fatalf("loaded %d of %d events", m.set.Len(), n)
			}
			r.loaded = m.set.Len()
			_ = m.View()
			r.all, r.cpu = time.Since(start), cpuTime()-cpu0
			break
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	r.heapMB = float64(ms.HeapAlloc) / (1 << 20)
	runtime.KeepAlive(m)
	m.cancel()
	return r
}

// BenchmarkReopen opens the browser over a store of a million events and
// over the same events in a JSONL file, in the same run: the time to the
// first rows drawn, to every event loaded, and the heap holding them.
func BenchmarkReopen(b *testing.B) {
	n := reopenEvents()
	storePath, filePath := reopenFiles(b, n)
	b.Run("store", func(b *testing.B) {
		for range b.N {
			start, cpu0 := time.Now(), cpuTime()
			st, err := sqlite.Open(storePath, sqlite.Options{})
			if err != nil {
				b.Fatal(err)
			}
			r := openAndLoad(b, start, cpu0, Options{Source: st, Store: st, Offline: true}, n)
			report(b, r)
			st.Close()
		}
	})
	b.Run("jsonl", func(b *testing.B) {
		for range b.N {
			start, cpu0 := time.Now(), cpuTime()
			fh, err := os.Open(filePath)
			if err != nil {
				b.Fatal(err)
			}
			events, _, err := model.ReadEventsContext(context.Background(), fh)
			fh.Close()
			if err != nil {
				b.Fatal(err)
			}
			report(b, openAndLoad(b, start, cpu0, Options{Source: model.NewMemorySource("file", events), MaxEvents: n}, n))
		}
	})
}

func report(b *testing.B, r reopenRun) {
	b.ReportMetric(float64(r.first.Microseconds())/1000, "ms-first-rows")
	b.ReportMetric(r.all.Seconds(), "s-all-loaded")
	b.ReportMetric(r.cpu.Seconds(), "cpu-s")
	b.ReportMetric(r.heapMB, "MB-heap")
	b.ReportMetric(float64(r.loaded), "events")
}

// cpuTime is the CPU this process has used: on a shared machine, wall time
// says more about the neighbours than about the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
