package views

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestRecentKeepsQueriesPrivatelyAndWhole(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "auditui")
	path := filepath.Join(dir, "queries-demo.json")
	if got, err := LoadRecent(path); got != nil || err != nil {
		t.Fatalf("a missing file: %q, %v; want no history and no error", got, err)
	}
	var qs []string
	for i := range MaxRecent + 30 {
		qs = AddRecent(qs, fmt.Sprintf("type:login.failed actor:u%d@example.com", i%(MaxRecent+10)))
	}
	qs = AddRecent(qs, "type:login.failed actor:u3@example.com") // again: moves to the newest
	qs = AddRecent(qs, "  ")
	if len(qs) != MaxRecent || qs[len(qs)-1] != "type:login.failed actor:u3@example.com" {
		t.Fatalf("%d queries, newest %q; want %d with the repeated one newest", len(qs), qs[len(qs)-1], MaxRecent)
	}
	if slices.Index(qs, qs[len(qs)-1]) != len(qs)-1 {
		t.Fatal("a repeated query is kept twice")
	}
	if err := SaveRecent(path, qs); err != nil {
		t.Fatal(err)
	}
	got, err := LoadRecent(path)
	if err != nil || !slices.Equal(got, qs) {
		t.Fatalf("read back %d queries (%v), want the %d saved", len(got), err, len(qs))
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Fatalf("%s: %v %v, want %v", p, fi.Mode().Perm(), err, want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("the folder holds %d files; the temporary one should be gone", len(entries))
	}
}

func TestRecentLeavesAFileItCannotReadAlone(t *testing.T) {
	for name, body := range map[string]string{
		"newer":      `{"version": 2, "queries": ["type:x"], "pinned": []}`,
		"unreadable": "{not json",
		"no version": `{"queries": []}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "queries-default.json")
			if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := LoadRecent(path)
			if got != nil || err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), path) {
				t.Fatalf("LoadRecent = %q, %v; want nothing and one line naming the file", got, err)
			}
			if err := SaveRecent(path, []string{"type:login.failed"}); err == nil {
				t.Fatal("SaveRecent replaced a file it cannot read")
			}
			if now, _ := os.ReadFile(path); string(now) != body {
				t.Fatalf("the file was changed to %q", now)
			}
		})
	}
}

func TestRecentPathIsPerOrganisation(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a, errA := RecentPath("org-A")
	b, errB := RecentPath("org-B")
	if errA != nil || errB != nil || a == b || filepath.Dir(a) != filepath.Dir(b) || filepath.Base(filepath.Dir(a)) != "auditui" {
		t.Fatalf("RecentPath: %q (%v), %q (%v); want one file per organisation under auditui", a, errA, b, errB)
	}
}
