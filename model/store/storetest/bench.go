package storetest

import (
	"context"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/openai/fakeapi"
)

// The benchmarks every backend runs with the same bodies, so their numbers
// compare: each backend's bench_test.go names them and says how to make a
// store.

// BenchWrite stores 100,000 events in transactions of 100 and of 1,000
// events from one writer, and in pages of 100 from 8 writers at once, as a
// sync's workers write them (8x100), each run in a fresh store (the one the
// backend's conformance test uses). Besides events/s it reports events per
// CPU second of this process and, given server (the CPU a database server
// has used), per CPU second of both, the figure to compare on a loaded
// machine.
func BenchWrite(b *testing.B, fresh Fresh, server func() time.Duration) {
	events := Org(100_000)
	for _, c := range []struct{ batch, writers int }{{100, 1}, {1000, 1}, {100, 8}} {
		name := strconv.Itoa(c.batch)
		if c.writers > 1 {
			name = strconv.Itoa(c.writers) + "x" + name
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				s, err := fresh(b)()
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start, cpu := time.Now(), CPUTime()
				var cpu0 time.Duration
				if server != nil {
					cpu0 = server()
				}
				var wg sync.WaitGroup
				for w := range c.writers {
					wg.Go(func() {
						for lo := w * c.batch; lo < len(events); lo += c.writers * c.batch {
							if _, err := s.Write(context.Background(), store.Default, events[lo:min(lo+c.batch, len(events))], store.Range{}); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				wg.Wait()
				b.ReportMetric(float64(len(events))/time.Since(start).Seconds(), "events/s")
				mine := CPUTime() - cpu
				b.ReportMetric(float64(len(events))/mine.Seconds(), "events/cpu-s")
				if server != nil {
					b.ReportMetric(float64(len(events))/(mine+server()-cpu0).Seconds(), "events/all-cpu-s")
				}
				b.StopTimer()
				if n, err := s.Count(context.Background()); err != nil || n != len(events) {
					b.Fatalf("stored %d of %d events (%v)", n, len(events), err)
				}
				s.Close()
				b.StartTimer()
			}
		})
	}
}

// Million is a store of 1,000,000 events, made once per test binary.
type Million struct {
	once  sync.Once
	open  Opener
	err   error
	at    time.Time // the newest event's time
	actor string    // the newest event's acting user, one user of the organisation
}

// millionEvents is how many events a Million holds.
const millionEvents = 1_000_000

// Opener is how to open the million-event store, made with fresh (an empty
// store and how to open it again) on first use.
func (m *Million) Opener(b *testing.B, fresh func() (store.Store, Opener, error)) Opener {
	m.once.Do(func() {
		var s store.Store
		if s, m.open, m.err = fresh(); m.err != nil {
			return
		}
		defer s.Close()
		events := fakeapi.Org(fakeapi.OrgOptions{Events: millionEvents, Seed: 1, Hostile: true})
		m.at = events[0].EffectiveAt
		for _, e := range events {
			if m.actor = e.Actor.Email(); m.actor != "" {
				break
			}
		}
		// Large batches: this is the benchmarks' setup, not what they measure.
		m.err = WriteAll(s, events, 5000)
	})
	if m.err != nil {
		b.Fatal(m.err)
	}
	return m.open
}

// BenchReopen opens the million-event store and reads its first page, then
// every event: the time to the first rows and to all of them.
func BenchReopen(b *testing.B, m *Million, open Opener) {
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		start, cpu := time.Now(), CPUTime()
		s, err := open()
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for p, err := range s.Pages(ctx, model.Query{}) {
			if err != nil {
				b.Fatal(err)
			}
			if n == 0 {
				b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "ms-first-page")
			}
			n += len(p.Events)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s-all")
		b.ReportMetric((CPUTime() - cpu).Seconds(), "cpu-s")
		if n != millionEvents {
			b.Fatalf("read %d events, want %d", n, millionEvents)
		}
		s.Close()
	}
}

// BenchQuery is type:login.failed, one actor, a 7-day range and all three
// over the million-event store, each to its whole result, pushed down to
// the store.
func BenchQuery(b *testing.B, m *Million, open Opener) {
	s, err := open()
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	week := m.at.Add(-7 * 24 * time.Hour)
	queries := []struct {
		name string
		f    model.Filter
	}{
		{"type", model.Filter{Types: []string{"login.failed"}}},
		{"actor", model.Filter{ActorEmails: []string{m.actor}}},
		{"7d", model.Filter{Since: week}},
		{"all3", model.Filter{Types: []string{"login.failed"}, ActorEmails: []string{m.actor}, Since: week}},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			for range b.N {
				n := 0
				for p, err := range s.Pages(ctx, model.Query{Filter: q.f}) {
					if err != nil {
						b.Fatal(err)
					}
					n += len(p.Events)
				}
				if n == 0 {
					b.Fatal("the query selected nothing, so measured nothing")
				}
				b.ReportMetric(float64(n), "events")
			}
		})
	}
}

// CPUTime is the CPU this process has used: on a shared machine, wall time
// says more about the neighbours than about the code.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
