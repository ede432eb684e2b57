//go:build linux

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/sqlite"
	"github.com/auditui/auditui/openai/fakeapi"
)

// The child: this test binary run again with the command's arguments in
// AUDITUI_CHILD_ARGS, runs auditui in a process of its own, where a file
// size limit (AUDITUI_CHILD_FSIZE, bytes) makes a write past it fail as on
// a full disk (EFBIG; Go ignores SIGXFSZ).
func TestChildRunsAuditui(t *testing.T) {
	args := os.Getenv("AUDITUI_CHILD_ARGS")
	if args == "" {
		t.Skip("only run as the child of another test")
	}
	if n, err := strconv.ParseUint(os.Getenv("AUDITUI_CHILD_FSIZE"), 10, 64); err == nil {
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			t.Fatal(err)
		}
	}
	a := newApp(strings.NewReader(""), os.Stdout, os.Stderr)
	a.now = func() time.Time { return orgNow.Add(time.Hour) }
	a.retryWait = time.Millisecond
	os.Exit(run(context.Background(), strings.Split(args, "\x1f"), a))
}

// child runs auditui with args in a child process as described by cmd's
// SysProcAttr and env, and returns its exit code and stderr.
func child(t *testing.T, exe string, attr *syscall.SysProcAttr, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(exe, "-test.run=^TestChildRunsAuditui$")
	cmd.Env = append(os.Environ(), append(env, "AUDITUI_CHILD_ARGS="+strings.Join(args, "\x1f"))...)
	cmd.SysProcAttr = attr
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), errb.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, errb.String()
}

// consistent fails unless every range the store at path records as
// complete holds exactly the events the API lists there: nothing is stored
// half.
func consistent(t *testing.T, path string, events []model.Event) int {
	t.Helper()
	st, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatalf("the store does not open: %v", err)
	}
	defer st.Close()
	ctx := context.Background()
	for _, l := range store.Listings {
		cov, err := st.Coverage(ctx, l)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range cov {
			f := l.Filter()
			f.Since, f.Until = r.Since, r.Until
			want := fakeapi.Listed(events, f)
			n := 0
			for p, err := range st.Pages(ctx, model.Query{Filter: f}) {
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range p.Events {
					if store.ListingOf(&e) == l {
						n++
					}
				}
			}
			if n != len(want) {
				t.Fatalf("%s %v is recorded complete with %d events stored; the API lists %d", l, r, n, len(want))
			}
		}
	}
	n, _ := st.Count(ctx)
	return n
}

// A disk that fills mid-sync: the sync stops with one sentence and exit 1,
// what it committed is whole (each range it recorded holds every event),
// the store opens, and a rerun with room completes it.
func TestSyncOnAFullDisk(t *testing.T) {
	_, events := fakeAPI(t, 3000)
	path := filepath.Join(t.TempDir(), "org.db")
	code, stderr := child(t, os.Args[0], nil, []string{"AUDITUI_CHILD_FSIZE=" + strconv.Itoa(1<<20)}, "sync", "--store", path)
	t.Logf("full disk: exit %d, %s", code, stderr)
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	last := lines[len(lines)-1]
	if code != exitFailure || len(lines) != 2 || !strings.Contains(last, "cannot write to the store "+path) || !strings.Contains(last, "intact") {
		t.Fatalf("a sync onto a full disk exited %d, stderr %q; want 1 and one sentence after the summary", code, stderr)
	}
	if n := consistent(t, path, events); n == 0 || n >= len(events) {
		t.Fatalf("the disk filled with %d of %d events stored; the test wants it to fill midway", n, len(events))
	}
	if code, stderr := runSync(t, path); code != exitOK {
		t.Fatalf("the rerun exited %d: %s", code, stderr)
	}
	storeHolds(t, path, events)
}

// A store this user may read but not write: the sync stops with one
// sentence and exit 1 and leaves the store as it was. As root every file
// is writable, so the sync runs as nobody.
func TestSyncOnAReadOnlyStore(t *testing.T) {
	fake, events := fakeAPI(t, 600)
	dir, err := os.MkdirTemp("", "auditui-readonly-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "store", "org.db")
	synced(t, "--store", path)
	exe, attr := os.Args[0], (*syscall.SysProcAttr)(nil)
	if os.Geteuid() == 0 {
		// nobody may run a copy of this binary and read the store.
		exe = filepath.Join(dir, "auditui.test")
		b, err := os.ReadFile(os.Args[0])
		if err == nil {
			err = os.WriteFile(exe, b, 0o755)
		}
		// The store's directory and file readable by all, writable by root.
		for p, mode := range map[string]os.FileMode{dir: 0o755, filepath.Dir(path): 0o755, path: 0o644} {
			if err == nil {
				err = os.Chmod(p, mode)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		attr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	} else if err := os.Chmod(filepath.Dir(path), 0o555); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	code, stderr := child(t, exe, attr, []string{"HOME=" + dir, "XDG_DATA_HOME=" + dir}, "sync", "--store", path)
	t.Logf("read-only: exit %d, %s", code, stderr)
	if code != exitFailure || strings.Count(stderr, "\n") > 2 || !strings.Contains(stderr, path) ||
		!strings.Contains(stderr, "permission") && !strings.Contains(stderr, "read-only") {
		t.Fatalf("a sync of a read-only store exited %d, stderr %q; want 1 and a sentence saying why", code, stderr)
	}
	if after, err := os.ReadFile(path); err != nil || !bytes.Equal(before, after) {
		t.Fatalf("the read-only store was changed (%v)", err)
	}
	os.Chmod(filepath.Dir(path), 0o700)
	storeHolds(t, path, events)
	if code, stderr := runSync(t, path); code != exitOK {
		t.Fatalf("a sync with the permissions back exited %d: %s", code, stderr)
	}
	storeHolds(t, path, events)
	if len(fake.Requests()) == 0 {
		t.Fatal("no sync reached the API")
	}
}
