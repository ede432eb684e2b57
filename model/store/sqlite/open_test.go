package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/storetest"
)

// untouched reads path and returns a check that it is unchanged and that
// nothing was made beside it.
func untouched(t *testing.T, path string) func() {
	t.Helper()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(before)
	return func() {
		t.Helper()
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if sha256.Sum256(after) != sum {
			t.Fatalf("%s was changed", path)
		}
		for _, suffix := range []string{"-wal", "-shm", "-journal"} {
			if _, err := os.Stat(path + suffix); err == nil {
				t.Fatalf("%s%s was made beside it", path, suffix)
			}
		}
	}
}

func refused(t *testing.T, path, want string) {
	t.Helper()
	check := untouched(t, path)
	for _, create := range []bool{false, true} {
		s, err := Open(path, Options{Create: create})
		if err == nil {
			s.Close()
			t.Fatalf("Open(%s, create %v) accepted it", path, create)
		}
		if !errors.Is(err, store.ErrNotStore) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Fatalf("Open(%s): %q, want one line saying %q", path, err, want)
		}
	}
	check()
}

func TestNotSQLiteRefusedUntouched(t *testing.T) {
	for name, content := range map[string]string{"text": "id,type\n1,login.failed\n", "jsonl": `{"id":"x"}` + "\n", "short": "SQL"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			refused(t, path, "is not a SQLite database")
		})
	}
}

func TestForeignSQLiteRefusedUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE events (id TEXT); INSERT INTO events VALUES ('theirs')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	refused(t, path, "is a SQLite database but not an auditui store")
}

func TestNewerSchemaRefusedUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "org.db")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	storetest.Fill(t, s, storetest.Org(100))
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	refused(t, path, "was written by a newer auditui (store schema 99")
}

func TestMissingStoreNotMade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "auditui", "org.db")
	_, err := Open(path, Options{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "auditui sync") {
		t.Fatalf("opening a missing store: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("opening a missing store made its directory")
	}
}

func TestPrivatePermissions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "auditui", "org.db")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.Fill(t, s, storetest.Org(50))
	for p, want := range map[string]fs.FileMode{filepath.Dir(path): 0o700 | fs.ModeDir, path: 0o600, path + "-wal": 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s has mode %v, want %v", p, fi.Mode(), want)
		}
	}
}

// A write that does not fit is refused whole: the events before it are
// all there, none of the failed batch is, and the store still opens.
func TestFullDiskWritesNothingHalf(t *testing.T) {
	path := filepath.Join(t.TempDir(), "org.db")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	events := storetest.Org(3000)
	def := storetest.Of(store.Default, events)
	ctx := context.Background()
	if _, err := s.Write(ctx, store.Default, def[:100], store.Range{}); err != nil {
		t.Fatal(err)
	}
	// Every connection of the pool is capped at the pages it has now.
	s.db.SetMaxOpenConns(1)
	var pages int
	if err := s.db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("PRAGMA max_page_count = " + itoa(pages+2)); err != nil {
		t.Fatal(err)
	}
	_, err = s.Write(ctx, store.Default, def[100:], store.Range{Since: def[len(def)-1].EffectiveAt, Until: def[100].EffectiveAt})
	if err == nil || !strings.Contains(err.Error(), "the disk is full") || !strings.Contains(err.Error(), "intact") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("a write past the end of the disk: %v", err)
	}
	s.Close()
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("the store does not open after a full disk: %v", err)
	}
	defer r.Close()
	if n, _ := r.Count(ctx); n != 100 {
		t.Fatalf("after a failed write the store holds %d events, want the 100 before it", n)
	}
	if cov, _ := r.Coverage(ctx, store.Default); len(cov) != 0 {
		t.Fatalf("the failed write's coverage was recorded: %v", cov)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data")
	for org, want := range map[string]string{"": "/data/auditui/default.db", "org-abc123": "/data/auditui/org-abc123.db", "../x/y": "/data/auditui/_x_y.db"} {
		got, err := DefaultPath(org)
		if err != nil || got != filepath.FromSlash(want) {
			t.Errorf("DefaultPath(%q) = %q (%v), want %q", org, got, err, want)
		}
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/ann")
	if got, _ := DefaultPath(""); filepath.ToSlash(got) != "/home/ann/.local/share/auditui/default.db" {
		t.Errorf("without XDG_DATA_HOME: %q", got)
	}
}

// migrated is a store in which an older build wrote what older (SQL with
// the one record raw as its parameter) says, opened again so that it
// migrates; closed when the test ends.
func migrated(t *testing.T, raw, older string) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "org.db")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(older, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestSchema1EmailsRederived: a schema-1 store held emails lower-cased; the
// migration refills the column from the stored records, exactly as sent.
func TestSchema1EmailsRederived(t *testing.T) {
	raw := `{"id":"audit_log-1","type":"login.succeeded","effective_at":1720000000,"actor":{"type":"session","session":{"user":{"id":"user-bob","email":"Bob@Example.com"}}}}`
	// What a schema-1 build wrote: the email lower-cased.
	s := migrated(t, raw, `INSERT INTO events (id, type, at, listing, actor_email, raw) VALUES ('audit_log-1', 'login.succeeded', 1, 'all', 'bob@example.com', ?);
		UPDATE events SET actor_email = 'bob@example.com'; PRAGMA user_version = 1`)
	var email string
	var version int
	if err := s.db.QueryRow("SELECT actor_email FROM events").Scan(&email); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if email != "Bob@Example.com" || version != len(migrations) {
		t.Fatalf("after migrating: actor_email %q, schema %d; want %q, %d", email, version, "Bob@Example.com", len(migrations))
	}
}

// TestSchema2IPsRespelled: a schema-2 store held addresses as sent; the
// migration spells them as model.CanonicalIP does, for the ip index.
func TestSchema2IPsRespelled(t *testing.T) {
	raw := `{"id":"audit_log-1","type":"login.succeeded","effective_at":1720000000,"actor":{"type":"session","session":{"ip_address":"2001:DB8:0::1"}}}`
	s := migrated(t, raw, `INSERT INTO events (id, type, at, listing, ip, raw) VALUES ('audit_log-1', 'login.succeeded', 1, 'default', '2001:DB8:0::1', ?);
		PRAGMA user_version = 2`)
	var ip string
	if err := s.db.QueryRow("SELECT ip FROM events").Scan(&ip); err != nil {
		t.Fatal(err)
	}
	if ip != "2001:db8::1" {
		t.Fatalf("after the migration the ip column holds %q, want 2001:db8::1", ip)
	}
}
