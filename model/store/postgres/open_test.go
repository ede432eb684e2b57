package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/postgres"
	"github.com/auditui/auditui/model/store/postgres/pgtest"
	"github.com/auditui/auditui/model/store/storetest"
)

// oneSentence checks err is one line saying want and holding no secret.
func oneSentence(t *testing.T, err error, want, secret string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted, want an error saying %q", want)
	}
	msg := err.Error()
	if !strings.Contains(msg, want) || strings.Contains(msg, "\n") || (secret != "" && strings.Contains(msg, secret)) {
		t.Fatalf("%q: want one line saying %q without %q", msg, want, secret)
	}
}

// tables lists the database's tables outside the system schemas, with
// their row counts.
func tables(t *testing.T, u string) string {
	t.Helper()
	return pgtest.Query(t, u, `SELECT coalesce(string_agg(schemaname || '.' || tablename || ':' ||
		(xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM ' || quote_ident(schemaname) || '.' || quote_ident(tablename), false, true, '')))[1]::text, ',' ORDER BY 1), '')
		FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`)[0]
}

func refused(t *testing.T, u, want string) {
	t.Helper()
	before := tables(t, u)
	for _, create := range []bool{false, true} {
		s, err := postgres.Open(u, postgres.Options{Create: create})
		if err == nil {
			s.Close()
			t.Fatalf("Open(create %v) accepted it", create)
		}
		if !errors.Is(err, store.ErrNotStore) {
			t.Fatalf("%v does not wrap ErrNotStore", err)
		}
		oneSentence(t, err, want, "")
	}
	if after := tables(t, u); after != before {
		t.Fatalf("the database changed: %s, was %s", after, before)
	}
}

func TestForeignDatabaseRefusedUntouched(t *testing.T) {
	u := pgtest.Database(t)
	pgtest.Exec(t, u, "CREATE TABLE events (id text)", "INSERT INTO events VALUES ('theirs')")
	refused(t, u, "holds other tables and no auditui store")
}

func TestForeignAudituiSchemaRefusedUntouched(t *testing.T) {
	u := pgtest.Database(t)
	pgtest.Exec(t, u, "CREATE SCHEMA auditui", "CREATE TABLE auditui.events (id text)", "INSERT INTO auditui.events VALUES ('theirs')")
	refused(t, u, "has a schema named auditui that is not an auditui store")
}

// filled is a new database holding a store of n events, closed again.
func filled(t *testing.T, n int) string {
	t.Helper()
	u := pgtest.Database(t)
	s, err := postgres.Open(u, postgres.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	storetest.Fill(t, s, storetest.Org(n))
	s.Close()
	return u
}

func TestNewerSchemaRefusedUntouched(t *testing.T) {
	u := filled(t, 100)
	pgtest.Exec(t, u, "UPDATE auditui.schema_version SET version = 99")
	refused(t, u, "was written by a newer auditui (store schema 99")
}

func TestMissingStoreNotMade(t *testing.T) {
	u := pgtest.Database(t)
	_, err := postgres.Open(u, postgres.Options{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "auditui sync") {
		t.Fatalf("opening a database without a store: %v", err)
	}
	if got := tables(t, u); got != "" {
		t.Fatalf("opening a database without a store made %s", got)
	}
}

func TestConnectionFaultsOneSentence(t *testing.T) {
	u := pgtest.Database(t)
	const secret = "Sesame-0penS3same"
	cases := map[string]struct{ url, want string }{
		"password":     {pgtest.WithUser(t, u, "postgres", secret), "refused the user name or password"},
		"no role":      {pgtest.WithUser(t, u, "nobody_here", secret), "refused the user name or password"},
		"no database":  {pgtest.WithDatabase(t, pgtest.WithUser(t, u, "postgres", secret), "no_such_db"), "refused the user name or password"},
		"unreachable":  {"postgres://ann:" + secret + "@127.0.0.1:1/auditui?connect_timeout=5", "cannot be reached at 127.0.0.1:1"},
		"unknown host": {"postgres://ann:" + secret + "@h.invalid/auditui?connect_timeout=5", "the server h.invalid is not known"},
		"not a url":    {"postgres://ann:" + secret + "@host:notaport/db", "is not a PostgreSQL URL"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := postgres.Open(c.url, postgres.Options{Create: true})
			oneSentence(t, err, c.want, secret)
		})
	}
	good, err := postgres.Open(u, postgres.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	if loc := good.Location(); strings.Contains(loc, ":"+pgtest.Password(t, u)+"@") || !strings.Contains(loc, "xxxxx") {
		t.Fatalf("Location %q shows the password", loc)
	}
}

// The README's roles, its statements run as written: a writer for the sync
// job, a reader for analysts.
func TestReaderRoleReadsAndCannotWrite(t *testing.T) {
	team := pgtest.TeamRoles(t, "../../../README.md")
	ctx := context.Background()
	events := storetest.Org(500)
	w, err := postgres.Open(team.Writer, postgres.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	storetest.Fill(t, w, events[100:])
	r, err := postgres.Open(team.Reader, postgres.Options{})
	if err != nil {
		t.Fatalf("the reader cannot open the store: %v", err)
	}
	defer r.Close()
	if got := storetest.All(t, r, model.Query{}); len(got) != 400 {
		t.Fatalf("the reader reads %d events, want 400", len(got))
	}
	if _, err := r.Coverage(ctx, store.Default); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Meta(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = r.Write(ctx, store.Default, storetest.Of(store.Default, events[:100]), store.Range{})
	oneSentence(t, err, "this role may not do that", pgtest.Password(t, team.Reader))
	oneSentence(t, r.SetMeta(ctx, store.Meta{BaseURL: "https://evil.example"}), "this role may not do that", "")
	oneSentence(t, r.SetCheckpoint(ctx, "siem", 1), "this role may not do that", "")
	// The README's grant for a collector keeping its place.
	pgtest.Exec(t, team.Admin, team.Checkpoints)
	if err := r.SetCheckpoint(ctx, "siem", 7); err != nil {
		t.Fatalf("the reader with the checkpoints grant: %v", err)
	}
	if pos, err := r.Checkpoint(ctx, "siem"); err != nil || pos != 7 {
		t.Fatalf("the reader's checkpoint reads back %d (%v), want 7", pos, err)
	}
	_, err = r.Write(ctx, store.Default, storetest.Of(store.Default, events[:100]), store.Range{})
	oneSentence(t, err, "this role may not do that", "")
	// The reader is told of the writer's new events.
	var last int64
	for st, err := range r.Since(ctx, 0) {
		if err != nil {
			t.Fatal(err)
		}
		last = st.Pos
	}
	woke := make(chan error, 1)
	go func() { woke <- r.Wait(ctx, last) }()
	storetest.Fill(t, w, events[:100])
	if err := <-woke; err != nil {
		t.Fatal(err)
	}
	if n, _ := w.Count(ctx); n != 500 {
		t.Fatalf("the store holds %d events, want 500", n)
	}
	// A store an older auditui wrote: the reader may not bring it up to
	// date, and is told so; the sync's role does.
	r.Close()
	pgtest.Exec(t, team.Admin, "UPDATE auditui.schema_version SET version = 1")
	_, err = postgres.Open(team.Reader, postgres.Options{})
	oneSentence(t, err, "this role may not do that", "")
	w2, err := postgres.Open(team.Writer, postgres.Options{})
	if err != nil {
		t.Fatalf("the sync's role migrating the store: %v", err)
	}
	w2.Close()
	r, err = postgres.Open(team.Reader, postgres.Options{})
	if err != nil {
		t.Fatalf("the reader after the sync migrated: %v", err)
	}
	r.Close()
}

// handles opens n handles on the store at u (made by the first), closed
// when the test ends: as many syncs, on one machine or several.
func handles(t *testing.T, u string, n int) []*postgres.Store {
	t.Helper()
	var out []*postgres.Store
	for range n {
		s, err := postgres.Open(u, postgres.Options{Create: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out = append(out, s)
	}
	return out
}

func TestOneSyncAtATime(t *testing.T) {
	u := pgtest.Database(t)
	ctx := context.Background()
	stores := handles(t, u, 2)
	release, err := stores[0].LockSync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = stores[1].LockSync(ctx)
	oneSentence(t, err, "another auditui sync is writing to", pgtest.Password(t, u))
	release()
	release, err = stores[1].LockSync(ctx)
	if err != nil {
		t.Fatalf("after the first sync let go: %v", err)
	}
	release()
}

// The server restarting under a writer and a follower: both carry on, and
// the follower sees every event once.
func TestRestartSurvived(t *testing.T) {
	srv := pgtest.Private(t)
	pgtest.Exec(t, srv.URL, "CREATE DATABASE auditui")
	u := pgtest.WithDatabase(t, srv.URL, "auditui")
	w, err := postgres.Open(u, postgres.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	f, err := postgres.Open(u, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The writer is the store's sync, as auditui sync is.
	release, err := w.LockSync(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	events := storetest.Of(store.Default, storetest.Org(3000))
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	half := make(chan struct{})
	var wg sync.WaitGroup
	var werr error
	wg.Go(func() {
		for lo := 0; lo < len(events)-100; lo += 100 {
			if lo == len(events)/200*100 {
				close(half) // and write on while the server restarts
			}
			if _, err := w.Write(ctx, store.Default, events[lo:min(lo+100, len(events)-100)], store.Range{}); err != nil {
				werr = err
				cancel()
				return
			}
		}
	})
	seen := map[string]int{}
	var ferr error
	wg.Go(func() {
		var pos int64
		for {
			for st, err := range f.Since(ctx, pos) {
				if err != nil {
					ferr = err
					return
				}
				seen[st.Event.ID]++
				pos = st.Pos
			}
			if len(seen) == len(events) {
				return
			}
			if err := f.Wait(ctx, pos); err != nil {
				ferr = err
				return
			}
		}
	})
	<-half
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	// The last events come after the restart, on connections it broke.
	if _, err := w.Write(ctx, store.Default, events[len(events)-100:], store.Range{}); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if werr != nil || ferr != nil {
		n, _ := w.Count(context.Background())
		t.Fatalf("across a restart: writer %v, follower %v (seen %d of %d, stored %d)", werr, ferr, len(seen), len(events), n)
	}
	for _, e := range events {
		if seen[e.ID] != 1 {
			t.Fatalf("the follower saw %s %d times", e.ID, seen[e.ID])
		}
	}
	if n, err := w.Count(ctx); err != nil || n != len(events) {
		t.Fatalf("the store holds %d events (%v), want %d", n, err, len(events))
	}
	// The writer took its sync lock again: a second sync is still refused.
	_, err = f.LockSync(ctx)
	oneSentence(t, err, "another auditui sync is writing to", pgtest.Password(t, u))
	// Again, with a sync's workers writing at once after the restart: one
	// takes the lock again, the others write under it.
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	more := storetest.Of(store.Default, storetest.Org(3800))
	var errs [8]error
	var workers sync.WaitGroup
	for i := range errs {
		workers.Go(func() { _, errs[i] = w.Write(ctx, store.Default, more[i*100:(i+1)*100], store.Range{}) })
	}
	workers.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("a worker's write after the restart: %v", err)
		}
	}
	_, err = f.LockSync(ctx)
	oneSentence(t, err, "another auditui sync is writing to", "")
}

// A second sync that takes the lock while the first is cut off by a
// restart: the first stops at its next write, in one sentence, having
// written nothing beside the second.
func TestSyncLockTakenDuringRestart(t *testing.T) {
	srv := pgtest.Private(t)
	pgtest.Exec(t, srv.URL, "CREATE DATABASE auditui")
	u := pgtest.WithDatabase(t, srv.URL, "auditui")
	ctx := context.Background()
	syncs := handles(t, u, 2)
	first, second := syncs[0], syncs[1]
	release, err := first.LockSync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	events := storetest.Of(store.Default, storetest.Org(300))
	if _, err := first.Write(ctx, store.Default, events[:100], store.Range{}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	release2, err := second.LockSync(ctx)
	if err != nil {
		t.Fatalf("the second sync, after the restart freed the lock: %v", err)
	}
	defer release2()
	_, err = first.Write(ctx, store.Default, events[100:200], store.Range{})
	oneSentence(t, err, "another auditui sync took the lock on", pgtest.Password(t, u))
	if n, _ := second.Count(ctx); n != 100 {
		t.Fatalf("the first sync wrote without its lock: %d events stored, want 100", n)
	}
	if _, err := second.Write(ctx, store.Default, events[100:], store.Range{}); err != nil {
		t.Fatalf("the sync holding the lock: %v", err)
	}
	if err := first.SetMeta(ctx, store.Meta{BaseURL: "https://first.example"}); err == nil {
		t.Fatal("the first sync went on writing its meta without the lock")
	}
}

// A schema-1 store held addresses as sent and no ip index; opening it
// brings it to schema 3, as SQLite's: addresses spelt as model.CanonicalIP
// does, an index for ip: terms, every record as it was.
func TestSchema1Migrated(t *testing.T) {
	u := filled(t, 300)
	sent := map[string]string{"audit_log-v6": "2001:DB8:0::1", "audit_log-mapped": "::ffff:10.0.0.1", "audit_log-junk": "not an address"}
	old := []string{"DROP INDEX auditui.events_ip", "UPDATE auditui.schema_version SET version = 1"}
	for id, ip := range sent {
		old = append(old, fmt.Sprintf(`INSERT INTO auditui.events (id, type, at, listing, ip, raw) VALUES ('%s', 'login.succeeded', 1, 'default', '%s',
			convert_to('{"id":"%s","type":"login.succeeded","effective_at":1,"actor":{"type":"session","session":{"ip_address":"%s"}}}', 'UTF8'))`, id, ip, id, ip))
	}
	pgtest.Exec(t, u, old...)
	before := tables(t, u)
	s, err := postgres.Open(u, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if after := tables(t, u); after != before {
		t.Fatalf("the migration changed the rows: %s, was %s", after, before)
	}
	got := map[string]string{}
	for _, row := range pgtest.Query(t, u, "SELECT id || '=' || coalesce(ip, 'NULL') FROM auditui.events WHERE id = ANY('{audit_log-v6,audit_log-mapped,audit_log-junk}')") {
		id, ip, _ := strings.Cut(row, "=")
		got[id] = ip
	}
	want := map[string]string{"audit_log-v6": "2001:db8::1", "audit_log-mapped": "10.0.0.1", "audit_log-junk": "NULL"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after the migration the ip column holds %v, want %v", got, want)
	}
	if v := pgtest.Query(t, u, "SELECT version::text || ' ' || (to_regclass('auditui.events_ip') IS NOT NULL)::text FROM auditui.schema_version"); v[0] != "3 true" {
		t.Fatalf("schema version and ip index after the migration: %q, want 3 true", v[0])
	}
	for id, ip := range want {
		if ip == "NULL" {
			continue
		}
		if e := storetest.All(t, s, model.Query{Filter: model.Filter{IPs: []string{ip}}}); len(e) != 1 || e[0].ID != id {
			t.Fatalf("ip:%s finds %d events, want %s", ip, len(e), id)
		}
	}
}
