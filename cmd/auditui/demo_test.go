package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/ui"
)

// demoEnv is what a person trying --demo has: no key, and a data directory
// of their own, which the demo must leave empty (checked as the test ends).
func demoEnv(t *testing.T) string {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv(openai.EnvAdminKey, "")
	t.Cleanup(func() {
		if entries, _ := os.ReadDir(data); len(entries) != 0 {
			t.Errorf("the demo wrote into the user's data directory: %v", entries)
		}
	})
	return data
}

// --demo browses a store of its own, filled from the demo organisation by
// the syncer, private, outside the user's data directory, removed at exit.
func TestDemoBrowsesItsOwnTemporaryStore(t *testing.T) {
	data := demoEnv(t)
	var where string
	var stored int
	a := newApp(strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	a.browse = func(ctx context.Context, o ui.Options) error {
		if o.Store == nil || o.Sync == nil || o.Offline {
			t.Fatalf("the demo should browse a store it syncs: %+v", o)
		}
		if err := o.Sync(ctx); err != nil {
			return err
		}
		n, err := o.Store.Count(ctx)
		stored, where = n, o.Store.Location()
		if fi, err := os.Stat(filepath.Dir(where)); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("the demo's store directory should be private (0700): %v %v", fi.Mode(), err)
		}
		return err
	}
	if code := run(context.Background(), []string{"--demo"}, a); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if stored < 4000 {
		t.Errorf("the demo's store holds %d events after a sync, want the organisation's 4,000", stored)
	}
	if where == "" || strings.HasPrefix(where, data) {
		t.Errorf("the demo's store is at %q, which is not a temporary one of its own", where)
	}
	if _, err := os.Stat(filepath.Dir(where)); !os.IsNotExist(err) {
		t.Errorf("the demo's store directory should be removed at exit: %v", err)
	}
}

// export --follow --demo follows the demo's own store, so a SIEM pipe can
// be tried with no key; the user's data directory stays empty.
func TestExportFollowDemo(t *testing.T) {
	demoEnv(t)
	code, out, errs := runUntil(t, 100, "export", "--demo", "--follow")
	if code != exitInterrupted || !strings.Contains(errs, "demo.db") {
		t.Fatalf("export --follow --demo exited %d: %s", code, errs)
	}
	ids := lineIDs(t, out)
	if len(ids) < 100 || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
		t.Fatalf("wrote %d events, want at least 100, each once", len(ids))
	}
}

// A demo killed with kill -9 leaves its directory; the next demo removes
// it, and only it: not a running demo's, not one without an owner file.
func TestDemoRemovesStaleDemoDirectories(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv(openai.EnvAdminKey, "")
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Skip("no true command to take a process id that has ended:", err)
	}
	dirs := map[string]string{"stale": strconv.Itoa(gone.Process.Pid), "running": strconv.Itoa(os.Getpid()), "unowned": ""}
	for name, pid := range dirs {
		dir := filepath.Join(tmp, demoPrefix+name)
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if pid != "" {
			if err := os.WriteFile(filepath.Join(dir, demoOwner), []byte(pid), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	var owner string
	a := newApp(strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	a.browse = func(ctx context.Context, o ui.Options) error {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(o.Store.Location()), demoOwner))
		owner = string(b)
		return err
	}
	if code := run(context.Background(), []string{"--demo"}, a); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if owner != strconv.Itoa(os.Getpid()) {
		t.Errorf("the demo's directory names %q as its owner, want this process", owner)
	}
	for name := range dirs {
		_, err := os.Stat(filepath.Join(tmp, demoPrefix+name))
		if removed := os.IsNotExist(err); removed != (name == "stale") {
			t.Errorf("the %s demo directory: removed %v", name, removed)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, demoPrefix+"*")); len(left) != 2 {
		t.Errorf("after the demo %d demo directories are left, want the running and the unowned: %v", len(left), left)
	}
}
