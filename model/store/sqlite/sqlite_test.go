package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/sqlite"
	"github.com/auditui/auditui/model/store/storetest"
)

// fresh is a new store file in a directory of the test's own.
func fresh(t testing.TB) storetest.Opener {
	path := filepath.Join(t.TempDir(), "auditui", "org.db")
	return func() (store.Store, error) { return sqlite.Open(path, sqlite.Options{Create: true}) }
}

func TestConformance(t *testing.T) { storetest.Run(t, fresh) }

// The benchmarks' bodies are storetest's, shared with the PostgreSQL
// store's benchmarks of the same names, so the numbers compare.

func BenchmarkWrite(b *testing.B) { storetest.BenchWrite(b, fresh, nil) }

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
		s, err := sqlite.Open(path, sqlite.Options{Create: true})
		return s, func() (store.Store, error) { return sqlite.Open(path, sqlite.Options{}) }, err
	})
}

func BenchmarkReopen1M(b *testing.B) { storetest.BenchReopen(b, &million, millionStore(b)) }

func BenchmarkQuery1M(b *testing.B) { storetest.BenchQuery(b, &million, millionStore(b)) }

// TestWritersOnOneHandleShareCommits: pages written at once through one
// handle go in shared transactions; each Write still counts only its own new
// events, repeats across the group are stored once, each range is covered,
// and a writer whose context ends fails alone.
func TestWritersOnOneHandleShareCommits(t *testing.T) {
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "org.db"), sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	events := storetest.Org(4000)
	base := events[len(events)-1].EffectiveAt
	var added atomic.Int64
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			// Writer w writes pages of 100 starting at w*50: every event
			// but the first 50 comes from two writers.
			for lo := w * 50; lo < len(events); lo += 400 {
				page := events[lo:min(lo+100, len(events))]
				r := store.Range{Since: base.Add(time.Duration(lo) * time.Hour), Until: base.Add(time.Duration(lo+100) * time.Hour)}
				n, err := s.Write(context.Background(), store.Default, page, r)
				if err != nil {
					t.Error(err)
					return
				}
				added.Add(int64(n))
			}
		})
	}
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	wg.Go(func() {
		if _, err := s.Write(gone, store.TenantOnly, events[:10], store.Range{}); !errors.Is(err, context.Canceled) {
			t.Errorf("a write with an ended context gave %v", err)
		}
	})
	wg.Wait()
	if n, err := s.Count(context.Background()); err != nil || n != len(events) || added.Load() != int64(len(events)) {
		t.Fatalf("stored %d, Writes said %d new, want %d (%v)", n, added.Load(), len(events), err)
	}
	cov, err := s.Coverage(context.Background(), store.Default)
	want := []store.Range{{Since: base, Until: base.Add(time.Duration(len(events)+50) * time.Hour)}}
	if err != nil || !slices.Equal(cov, want) {
		t.Fatalf("coverage %v, want %v (%v)", cov, want, err)
	}
}
