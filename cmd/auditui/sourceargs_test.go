package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/auditui/auditui/openai"
)

// TestTheBrowserKnowsItsSourceFlags: E in the browser copies a command
// that reads the same events, so the browser is told the source flags: a
// file by its absolute path.
func TestTheBrowserKnowsItsSourceFlags(t *testing.T) {
	t.Setenv(openai.EnvAdminKey, "")
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	dir := t.TempDir()
	path := filepath.Join(dir, "it's saved.jsonl")
	if err := os.WriteFile(path, []byte(`{"id":"a1","type":"login.failed","effective_at":1790000000}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	r := runCLI(t, context.Background(), "--file", "it's saved.jsonl")
	if r.code != 0 || r.browsed == nil || !slices.Equal(r.browsed.SourceArgs, []string{"--file", path}) {
		t.Fatalf("exit %d (%s); source args %q, want --file %s", r.code, r.stderr, r.browsed.SourceArgs, path)
	}
}

func TestSourceArgsLeaveAStorePasswordOut(t *testing.T) {
	f := filterFlags{storeFlags: storeFlags{storePath: "postgres://audit:s3cret@db.example:5432/audit", offline: true}}
	want := []string{"--store", "postgres://audit@db.example:5432/audit", "--offline"}
	if got := f.sourceArgs(); !slices.Equal(got, want) {
		t.Fatalf("sourceArgs = %q, want %q", got, want)
	}
	if got := (&filterFlags{demo: true}).sourceArgs(); !slices.Equal(got, []string{"--demo"}) {
		t.Fatalf("--demo gives %q", got)
	}
}
