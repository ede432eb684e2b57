package postgres_test

import (
	"testing"

	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/postgres"
	"github.com/auditui/auditui/model/store/postgres/pgtest"
	"github.com/auditui/auditui/model/store/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// fresh is a new database on the test server.
func fresh(t testing.TB) storetest.Opener {
	u := pgtest.Database(t)
	return func() (store.Store, error) { return postgres.Open(u, postgres.Options{Create: true}) }
}

func TestConformance(t *testing.T) { storetest.Run(t, fresh) }

// The benchmarks' bodies are storetest's, shared with the SQLite store's
// benchmarks of the same names, so the numbers compare; the server is
// pgtest's (a unix socket, fsync off): cpu-s is this process's, all-cpu-s
// adds the server's.

func BenchmarkWrite(b *testing.B) { storetest.BenchWrite(b, fresh, pgtest.ServerCPU(b)) }

// million is a database of 1,000,000 events, made once per run and kept
// until the server stops.
var million storetest.Million

func millionStore(b *testing.B) storetest.Opener {
	return million.Opener(b, func() (store.Store, storetest.Opener, error) {
		u := pgtest.KeptDatabase(b)
		s, err := postgres.Open(u, postgres.Options{Create: true})
		return s, func() (store.Store, error) { return postgres.Open(u, postgres.Options{}) }, err
	})
}

func BenchmarkReopen1M(b *testing.B) { storetest.BenchReopen(b, &million, millionStore(b)) }

func BenchmarkQuery1M(b *testing.B) { storetest.BenchQuery(b, &million, millionStore(b)) }
