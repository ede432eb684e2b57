package syncer_test

import (
	"context"
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
