package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/model/store/postgres"
	"github.com/auditui/auditui/model/store/postgres/pgtest"
)

// A team's store: auditui sync fills a PostgreSQL database from the API,
// a second sync while one holds it stops with a sentence, and export
// --offline reads it back byte for byte with no key.
func TestSyncIntoPostgresThenExportOffline(t *testing.T) {
	_, events := fakeAPI(t, 1500)
	u := pgtest.Database(t)
	ctx := context.Background()
	if r := runCLI(t, ctx, "sync", "--store", u); r.code != exitOK || !strings.Contains(r.stderr, " stored in postgres://") {
		t.Fatalf("sync exited %d: %s", r.code, r.stderr)
	}
	st, err := postgres.Open(u, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	release, err := st.LockSync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, ctx, "sync", "--store", u)
	release()
	if r.code != exitFailure || !strings.Contains(r.stderr, "another auditui sync is writing to") || strings.Contains(r.stderr, pgtest.Password(t, u)) {
		t.Fatalf("a second sync exited %d: %s", r.code, r.stderr)
	}
	t.Setenv("OPENAI_ADMIN_KEY", "")
	t.Setenv(envDatabaseURL, u)
	r = runCLI(t, ctx, "export", "--offline", "--format", "jsonl")
	if r.code != exitOK || r.stdout != jsonLines(listed(events)) {
		t.Fatalf("export --offline from PostgreSQL exited %d, %d bytes (want %d): %s", r.code, len(r.stdout), len(jsonLines(listed(events))), r.stderr)
	}
}

// A sync --follow cut off by a database restart, during which a second
// sync took the store's lock, stops at its next write with the sentence
// (exit 1) rather than trying again beside the second.
func TestSyncFollowStopsWhenAnotherSyncTookItsLock(t *testing.T) {
	growingAPI(t, 600)
	srv := pgtest.Private(t)
	pgtest.Exec(t, srv.URL, "CREATE DATABASE auditui")
	u := pgtest.WithDatabase(t, srv.URL, "auditui")
	ctx := context.Background()
	codes, errb, _ := syncFollow(t, u, "200ms")
	for !strings.Contains(errb.String(), " stored in ") {
		time.Sleep(5 * time.Millisecond)
	}
	second, err := postgres.Open(u, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	// The first sync may take its lock back before this one asks: then
	// it is refused, and the restart is tried again.
	var release func()
	for try := 0; release == nil; try++ {
		if err := srv.Restart(); err != nil {
			t.Fatal(err)
		}
		if release, err = second.LockSync(ctx); err != nil && (try == 20 || !strings.Contains(err.Error(), "another auditui sync is writing")) {
			t.Fatalf("after %d restarts: %v", try+1, err)
		}
	}
	defer release()
	if code := <-codes; code != exitFailure {
		t.Fatalf("the first sync exited %d: %s", code, errb.String())
	}
	msg := errb.String()
	if last := msg[strings.LastIndex(strings.TrimSuffix(msg, "\n"), "\n")+1:]; !strings.Contains(last, "another auditui sync took the lock on postgres://") ||
		strings.Contains(msg, pgtest.Password(t, u)) || strings.Contains(msg, "trying again") {
		t.Fatalf("the first sync said: %s", msg)
	}
}

// An analyst's collector on the README's reader role, with its grant for
// checkpoints and no key: export --follow --checkpoint resumes where it
// stopped, neither skipping nor repeating, while a sync with that role
// is refused in one sentence.
func TestReaderRoleFollowsWithCheckpoint(t *testing.T) {
	g := growingAPI(t, 900)
	team := pgtest.TeamRoles(t, "../../README.md")
	if r := runCLI(t, context.Background(), "sync", "--store", team.Writer); r.code != exitOK {
		t.Fatalf("the sync job exited %d: %s", r.code, r.stderr)
	}
	r := runCLI(t, context.Background(), "sync", "--store", team.Reader)
	if lines := strings.Split(strings.TrimSpace(r.stderr), "\n"); r.code != exitFailure || !strings.Contains(lines[len(lines)-1], "this role may not do that") ||
		strings.Contains(r.stderr, pgtest.Password(t, team.Reader)) {
		t.Fatalf("a sync with the reader's role exited %d: %s", r.code, r.stderr)
	}
	t.Setenv("OPENAI_ADMIN_KEY", "")
	// The analyst's browser opens over it with no key.
	if r := runCLI(t, context.Background(), "--offline", "--store", team.Reader); r.code != exitOK || r.browsed == nil || !r.browsed.Offline || r.browsed.Store == nil {
		t.Fatalf("the browser with the reader's role and no key exited %d: %s", r.code, r.stderr)
	}
	want := g.ids(true)
	args := []string{"export", "--follow", "--offline", "--checkpoint", "siem", "--store", team.Reader}
	// Without the grant the collector could not keep its place: it says
	// so before writing anything.
	r = runCLI(t, context.Background(), args...)
	if r.code != exitFailure || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "this role may not do that (permission denied for table checkpoints); see the README's roles for the writer and the reader; what it held before is intact\n") {
		t.Fatalf("following without the checkpoints grant exited %d, %d bytes out: %s", r.code, len(r.stdout), r.stderr)
	}
	pgtest.Exec(t, team.Admin, team.Checkpoints)
	code, out1, errs := runUntil(t, len(want)/3, args...)
	got := lineIDs(t, out1)
	if code != exitInterrupted || len(got) == 0 {
		t.Fatalf("the first run exited %d with %d events: %s", code, len(got), errs)
	}
	code, out2, errs := runUntil(t, len(want)-len(got), args...)
	got = append(got, lineIDs(t, out2)...)
	slices.Sort(got)
	if code != exitInterrupted || !slices.Equal(got, want) {
		t.Fatalf("the collector exited %d with %d events (%d distinct), want the %d of the default listing once each: %s",
			code, len(got), len(slices.Compact(slices.Clone(got))), len(want), errs)
	}
}

// A collector whose place cannot be recorded when it stops says so (exit
// 1), rather than leaving as if it had kept it: the database refuses any
// checkpoint past the start here, so only the last one, at Ctrl-C, fails.
func TestExportFollowSaysWhenItsLastCheckpointIsRefused(t *testing.T) {
	_, events := fakeAPI(t, 300)
	u := pgtest.Database(t)
	if r := runCLI(t, context.Background(), "sync", "--store", u); r.code != exitOK {
		t.Fatalf("sync exited %d: %s", r.code, r.stderr)
	}
	pgtest.Exec(t, u, `CREATE FUNCTION auditui.refuse() RETURNS trigger LANGUAGE plpgsql AS
		$$BEGIN RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'permission denied for table checkpoints'; END$$`,
		"CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON auditui.checkpoints FOR EACH ROW WHEN (NEW.pos > 0) EXECUTE FUNCTION auditui.refuse()")
	want := len(listed(events))
	code, out, errs := runUntil(t, want, "export", "--follow", "--offline", "--checkpoint", "siem", "--store", u)
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if code != exitFailure || len(lineIDs(t, out)) != want || !strings.Contains(lines[len(lines)-1], "this role may not do that (permission denied for table checkpoints)") {
		t.Fatalf("exited %d with %d of %d events: %s", code, len(lineIDs(t, out)), want, errs)
	}
}
