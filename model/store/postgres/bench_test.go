package postgres_test

import (
	"context"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/postgres"
	"github.com/auditui/auditui/model/store/postgres/pgtest"
	"github.com/auditui/auditui/model/store/storetest"
)

// BenchmarkWrite stores 100,000 events in transactions of 100 and of 1,000
// events, as the SQLite benchmark of the same name does; CPU is this
// process's and the server's is not counted, so events/s is the figure to
// compare.
func BenchmarkWrite(b *testing.B) {
	events := storetest.Org(100_000)
	for _, batch := range []int{100, 1000} {
		b.Run(strconv.Itoa(batch), func(b *testing.B) { benchWrite(b, events, batch) })
	}
}

func benchWrite(b *testing.B, events []model.Event, batch int) {
	for range b.N {
		b.StopTimer()
		s, err := postgres.Open(pgtest.Database(b), postgres.Options{Create: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start, cpu := time.Now(), cpuTime()
		for lo := 0; lo < len(events); lo += batch {
			if _, err := s.Write(context.Background(), store.Default, events[lo:min(lo+batch, len(events))], store.Range{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(events))/time.Since(start).Seconds(), "events/s")
		b.ReportMetric(float64(len(events))/(cpuTime()-cpu).Seconds(), "events/cpu-s")
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
