package views

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The chosen columns come back as saved, in a private file that a newer
// auditui's version and an unreadable file are never replaced over.
func TestColumnsAreSavedPrivatelyAndNewerFilesKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "auditui", ColumnsFileName)
	if got, err := LoadColumns(path); got != nil || err != nil {
		t.Fatalf("no file is no choice: %v, %v", got, err)
	}
	want := []string{"ip", "time", "summary"}
	if err := SaveColumns(path, want); err != nil {
		t.Fatal(err)
	}
	if got, err := LoadColumns(path); err != nil || !slices.Equal(got, want) {
		t.Fatalf("read back %v, %v; want %v", got, err, want)
	}
	for p, perm := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != perm {
			t.Fatalf("%s: %v, want %v", p, fi.Mode().Perm(), perm)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".columns-*")); len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}

	for name, content := range map[string]string{
		"newer":   "version = 2\ncolumns = [\"time\", \"geo\"]\n",
		"garbled": "version = [\n",
	} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := LoadColumns(path)
		if got != nil || err == nil || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), "\n") {
			t.Fatalf("%s: %v, %v; want no names and one line naming the file", name, got, err)
		}
		if err := SaveColumns(path, want); err == nil || !strings.Contains(err.Error(), "not saved") {
			t.Fatalf("%s: saving over it: %v", name, err)
		}
		if b, _ := os.ReadFile(path); string(b) != content {
			t.Fatalf("%s: the file was changed to %q", name, b)
		}
	}
}
