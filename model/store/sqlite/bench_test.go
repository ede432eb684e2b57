package sqlite

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/storetest"
)

// The bodies are storetest's, shared with the PostgreSQL store's
// benchmarks of the same names, so the numbers compare.

func BenchmarkWrite(b *testing.B) {
	storetest.BenchWrite(b, func(b *testing.B) store.Store {
		s, err := Open(filepath.Join(b.TempDir(), "org.db"), Options{Create: true})
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}

// million is a store file of 1,000,000 events in millionDir, made once per
// run and removed when the run ends.
var (
	million    storetest.Million
	millionDir string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if millionDir != "" {
		os.RemoveAll(millionDir)
	}
	os.Exit(code)
}

func millionStore(b *testing.B) storetest.Opener {
	return million.Opener(b, func() (store.Store, storetest.Opener, error) {
		var err error
		if millionDir, err = os.MkdirTemp("", "auditui-bench-"); err != nil {
			return nil, nil, err
		}
		path := filepath.Join(millionDir, "org.db")
		s, err := Open(path, Options{Create: true})
		return s, func() (store.Store, error) { return Open(path, Options{}) }, err
	})
}

func BenchmarkReopen1M(b *testing.B) { storetest.BenchReopen(b, &million, millionStore(b)) }

func BenchmarkQuery1M(b *testing.B) { storetest.BenchQuery(b, &million, millionStore(b)) }
