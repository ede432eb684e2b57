package main

import (
	"context"
	"strings"
	"testing"

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
