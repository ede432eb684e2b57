package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/storetest"
	"github.com/auditui/auditui/openai/fakeapi"
)

// BenchmarkWrite stores 100,000 events in transactions of 100 and of 1,000
// events from one writer, and in pages of 100 from 8 writers at once, as a
// sync's workers write them (8x100): those pages share commits.
func BenchmarkWrite(b *testing.B) {
	events := storetest.Org(100_000)
	for _, c := range []struct{ batch, writers int }{{100, 1}, {1000, 1}, {100, 8}} {
		name := strconv.Itoa(c.batch)
		if c.writers > 1 {
			name = strconv.Itoa(c.writers) + "x" + name
		}
		b.Run(name, func(b *testing.B) { benchWrite(b, events, c.batch, c.writers) })
	}
}

func benchWrite(b *testing.B, events []model.Event, batch, writers int) {
	for range b.N {
		b.StopTimer()
		s, err := Open(filepath.Join(b.TempDir(), "org.db"), Options{Create: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start, cpu := time.Now(), cpuTime()
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for lo := w * batch; lo < len(events); lo += writers * batch {
					if _, err := s.Write(context.Background(), store.Default, events[lo:min(lo+batch, len(events))], store.Range{}); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		b.ReportMetric(float64(len(events))/time.Since(start).Seconds(), "events/s")
		b.ReportMetric(float64(len(events))/(cpuTime()-cpu).Seconds(), "events/cpu-s")
		b.StopTimer()
		if n, err := s.Count(context.Background()); err != nil || n != len(events) {
			b.Fatalf("stored %d of %d events (%v)", n, len(events), err)
		}
		s.Close()
		b.StartTimer()
	}
}

// million is a store of 1,000,000 events, made once per run.
var million struct {
	once  sync.Once
	path  string
	err   error
	at    time.Time // the newest event's time
	actor string    // the newest event's acting user, one user of the organisation
}

func millionStore(b *testing.B) string {
	million.once.Do(func() {
		dir, err := osMkdirTemp()
		if err != nil {
			million.err = err
			return
		}
		million.path = filepath.Join(dir, "org.db")
		s, err := Open(million.path, Options{Create: true})
		if err != nil {
			million.err = err
			return
		}
		defer s.Close()
		events := fakeapi.Org(fakeapi.OrgOptions{Events: 1_000_000, Seed: 1, Hostile: true})
		million.at = events[0].EffectiveAt
		for _, e := range events {
			if million.actor = e.Actor.Email(); million.actor != "" {
				break
			}
		}
		storetest.Fill(b, s, events)
	})
	if million.err != nil {
		b.Fatal(million.err)
	}
	return million.path
}

// BenchmarkReopen1M opens a 1,000,000-event store and reads its first page,
// then every event.
func BenchmarkReopen1M(b *testing.B) {
	path := millionStore(b)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		s, err := Open(path, Options{})
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
		if n != 1_000_000 {
			b.Fatalf("read %d events", n)
		}
		s.Close()
	}
}

// BenchmarkQuery1M is type:login.failed, one actor and a 7-day range over
// 1,000,000 stored events, to the whole result.
func BenchmarkQuery1M(b *testing.B) {
	path := millionStore(b)
	s, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	queries := map[string]model.Filter{
		"type":  {Types: []string{"login.failed"}},
		"actor": {ActorEmails: []string{million.actor}},
		"7d":    {Since: million.at.Add(-7 * 24 * time.Hour)},
		"all3":  {Types: []string{"login.failed"}, ActorEmails: []string{million.actor}, Since: million.at.Add(-7 * 24 * time.Hour)},
	}
	for name, f := range queries {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				n := 0
				for p, err := range s.Pages(ctx, model.Query{Filter: f}) {
					if err != nil {
						b.Fatal(err)
					}
					n += len(p.Events)
				}
				b.ReportMetric(float64(n), "events")
			}
		})
	}
	_ = store.Default
}

func osMkdirTemp() (string, error) { return os.MkdirTemp("", "auditui-bench-") }

// cpuTime is the CPU this process has used: on a shared machine, wall time
// says more about the neighbours than about the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
