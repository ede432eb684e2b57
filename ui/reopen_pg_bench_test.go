//go:build unix

package ui

import (
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/postgres"
	"github.com/auditui/auditui/model/store/postgres/pgtest"
	"github.com/auditui/auditui/model/store/storetest"
	"github.com/auditui/auditui/openai/fakeapi"
)

// BenchmarkReopenPostgres is BenchmarkReopen's store case over the same
// events in a PostgreSQL store (pgtest's server: a unix socket, fsync off):
// the browser's first rows drawn and every event loaded, beside SQLite's
// in the same run.
func BenchmarkReopenPostgres(b *testing.B) {
	n := reopenEvents()
	u := pgtest.KeptDatabase(b)
	st, err := postgres.Open(u, postgres.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	events := fakeapi.Org(fakeapi.OrgOptions{Events: n, Seed: 1, Now: testNow})
	if err := storetest.WriteAll(st, events, 5000); err != nil {
		b.Fatal(err)
	}
	// The browser opens on what the API lists with no query: no tenant-scoped events.
	shown := 0
	for i := range events {
		if store.Listed(model.Filter{}, &events[i]) {
			shown++
		}
	}
	st.Close()
	b.ResetTimer()
	for range b.N {
		start, cpu0 := time.Now(), cpuTime()
		st, err := postgres.Open(u, postgres.Options{})
		if err != nil {
			b.Fatal(err)
		}
		report(b, openAndLoad(b, start, cpu0, Options{Source: st, Store: st, Offline: true}, shown))
		st.Close()
	}
}
