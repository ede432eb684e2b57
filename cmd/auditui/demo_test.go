package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/ui"
)

// --demo browses a store of its own, filled from the demo organisation by
// the syncer, private, outside the user's data directory, removed at exit.
func TestDemoBrowsesItsOwnTemporaryStore(t *testing.T) {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv(openai.EnvAdminKey, "")
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
	if entries, _ := os.ReadDir(data); len(entries) != 0 {
		t.Errorf("the demo wrote into the user's data directory: %v", entries)
	}
}

// export --follow --demo follows the demo's own store, so a SIEM pipe can
// be tried with no key; the user's data directory stays empty.
func TestExportFollowDemo(t *testing.T) {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv(openai.EnvAdminKey, "")
	code, out, errs := runUntil(t, 100, "export", "--demo", "--follow")
	if code != exitInterrupted || !strings.Contains(errs, "demo.db") {
		t.Fatalf("export --follow --demo exited %d: %s", code, errs)
	}
	ids := lineIDs(t, out)
	if len(ids) < 100 || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
		t.Fatalf("wrote %d events, want at least 100, each once", len(ids))
	}
	if entries, _ := os.ReadDir(data); len(entries) != 0 {
		t.Errorf("the demo wrote into the user's data directory: %v", entries)
	}
}
