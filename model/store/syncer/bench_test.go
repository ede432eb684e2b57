package syncer_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store/syncer"
	"github.com/auditui/auditui/openai/fakeapi"
)

// BenchmarkBackfill20k lists 20,000 events from the fake with 50 ms of
// latency a request: a sync into a new store at the default concurrency,
// and sequential paging as export does today, in the same run.
func BenchmarkBackfill20k(b *testing.B) {
	events := org(20_000)
	fake := fakeapi.New(events, fakeapi.WithLatency(50*time.Millisecond))
	a := serve(b, fake)
	b.Run("sync", func(b *testing.B) {
		for range b.N {
			s, _ := newStore(b)
			before := len(fake.Requests())
			res, err := syncer.Sync(context.Background(), a.client(nil), s, syncer.Options{Origin: a.origin(), Now: later})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(fake.Requests())-before), "requests")
			b.ReportMetric(float64(res.Stored), "events")
		}
	})
	b.Run("sequential", func(b *testing.B) {
		for range b.N {
			n := 0
			for p, err := range a.client(nil).Pages(context.Background(), model.Query{}) {
				if err != nil {
					b.Fatal(err)
				}
				n += len(p.Events)
			}
			b.ReportMetric(float64(n), "events")
		}
	})
}

// BenchmarkSyncFast100k is a first sync of 100,000 events from the fake with
// no latency, into a new store: how fast a sync stores, with the fake and
// the client's decoding in the same process (events/cpu-s counts all three).
func BenchmarkSyncFast100k(b *testing.B) {
	a := serve(b, fakeapi.New(org(100_000)))
	for range b.N {
		b.StopTimer()
		s, _ := newStore(b)
		b.StartTimer()
		start, cpu := time.Now(), cpuTime()
		res, err := syncer.Sync(context.Background(), a.client(nil), s, syncer.Options{Origin: a.origin(), Now: later})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Stored)/time.Since(start).Seconds(), "events/s")
		b.ReportMetric(float64(res.Stored)/(cpuTime()-cpu).Seconds(), "events/cpu-s")
	}
}

// cpuTime is the CPU this process has used: on a shared machine wall time
// says more about the neighbours than about the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
