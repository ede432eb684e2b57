//go:build unix

package views

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A views file that is not a regular file, or is huge, is refused in one
// line at once: a FIFO without a writer would block the start, /dev/zero
// would fill memory.
func TestOddViewsFilesAreRefusedAtOnce(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	big := write(t, "# "+strings.Repeat("x", MaxFileSize)+"\n")
	for _, c := range []struct{ name, path, want string }{
		{"FIFO without a writer", fifo, "not a regular file"},
		{"/dev/zero", "/dev/zero", "not a regular file"},
		{"directory", dir, "not a regular file"},
		{"over 1 MiB", big, "larger than 1 MiB"},
	} {
		t.Run(c.name, func(t *testing.T) {
			views, err := All(c.path, now)
			if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.path) {
				t.Fatalf("error %v: want one line naming %s and saying %q", err, c.path, c.want)
			}
			if len(views) != len(Builtin()) {
				t.Fatalf("%d views, want the built-ins", len(views))
			}
		})
	}
	// Just under the limit is read.
	ok := write(t, Example+"# "+strings.Repeat("x", MaxFileSize-len(Example)-3)+"\n")
	if views, err := All(ok, now); err != nil || len(views) != len(Builtin())+2 {
		t.Fatalf("a file of exactly 1 MiB: %d views, %v", len(views), err)
	}
}
