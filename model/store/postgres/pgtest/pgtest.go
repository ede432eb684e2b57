// Package pgtest gives tests a real PostgreSQL: the server named by
// AUDITUI_TEST_POSTGRES (CI starts one), or else a throwaway one this test
// binary starts from the installed binaries in a temporary directory, on a
// unix socket only; without either, tests skip saying how to run them.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names a superuser URL of a running server the tests may make
// databases on.
const EnvURL = "AUDITUI_TEST_POSTGRES"

// Server is a PostgreSQL server this process started in a directory.
type Server struct {
	dir, bin string
	cred     *syscall.Credential // whom the server runs as: never root
	// URL is the superuser's URL, with its password.
	URL string
}

// binDir finds pg_ctl and initdb: on PATH, else Debian's place for them.
func binDir() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "pg_ctl")); err == nil {
			return dirs[i], nil
		}
	}
	return "", errors.New("no PostgreSQL binaries (pg_ctl) found")
}

// Start makes a cluster in dir (which must be empty or missing) and starts
// it, listening only on a unix socket in dir, with a superuser password.
func Start(dir string) (*Server, error) {
	s, err := server(dir, unprivileged)
	if err != nil {
		return nil, err
	}
	pw := make([]byte, 12)
	rand.Read(pw)
	password := hex.EncodeToString(pw)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	pwfile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwfile, []byte(password+"\n"), 0o600); err != nil {
		return nil, err
	}
	if s.cred != nil {
		if err := os.Chown(dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			return nil, err
		}
		if err := os.Chown(pwfile, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			return nil, err
		}
	}
	if err := s.run("initdb", "-D", s.data(), "-U", "postgres", "--pwfile", pwfile,
		"--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C", "--no-sync"); err != nil {
		return nil, err
	}
	os.Remove(pwfile)
	s.URL = (&url.URL{Scheme: "postgres", User: url.UserPassword("postgres", password), Path: "/postgres",
		RawQuery: url.Values{"host": {dir}}.Encode()}).String()
	return s, s.ctl("start")
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

// unprivileged is the postgres user when there is one, else nobody.
func unprivileged() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("no unprivileged user (postgres or nobody) to run PostgreSQL as")
}

// run runs one of the server's programs as the server's user.
func (s *Server) run(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v: %s", name, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// ctl runs pg_ctl start, stop or restart and waits for it; fast settings,
// as nothing here needs to survive a crash of the machine.
func (s *Server) ctl(action string) error {
	args := []string{"-D", s.data(), "-w", "-s"}
	if action != "stop" {
		args = append(args, "-l", filepath.Join(s.dir, "log"), "-o",
			"-k "+s.dir+" -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
	} else {
		args = append(args, "-m", "fast")
	}
	return s.run("pg_ctl", append(args, action)...)
}

// Restart stops the server and starts it again: every connection to it
// ends.
func (s *Server) Restart() error { return s.ctl("restart") }

// Stop stops the server and removes its directory.
func (s *Server) Stop() error {
	err := s.ctl("stop")
	os.RemoveAll(s.dir)
	return err
}

// At is the server Start made in dir, to stop it from another process.
func At(dir string) (*Server, error) {
	return server(dir, func() (*syscall.Credential, error) {
		fi, err := os.Stat(dir)
		if err != nil {
			return nil, err
		}
		st := fi.Sys().(*syscall.Stat_t)
		return &syscall.Credential{Uid: st.Uid, Gid: st.Gid}, nil
	})
}

// server is the server in dir; under root it runs as the user asRoot says,
// since initdb refuses root.
func server(dir string, asRoot func() (*syscall.Credential, error)) (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, bin: bin}
	if os.Geteuid() == 0 {
		if s.cred, err = asRoot(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Private starts a server for t alone (to restart it, say), stopped when t
// ends; t is skipped when there are no PostgreSQL binaries here.
func Private(t testing.TB) *Server {
	t.Helper()
	if _, err := binDir(); err != nil {
		t.Skipf("%v: install PostgreSQL 15 or later (apt-get install postgresql) to run this test", err)
	}
	dir, err := tempDir()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Start(filepath.Join(dir, "pg"))
	if err != nil {
		os.RemoveAll(dir)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Stop()
		os.RemoveAll(dir)
	})
	return s
}

// tempDir is a new directory the server's user can reach.
func tempDir() (string, error) {
	dir, err := os.MkdirTemp("", "auditui-pg-")
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	return dir, err
}

// shared is the server the tests of this binary make their databases on.
var shared struct {
	once   sync.Once
	url    string
	server *Server // nil when the server was given by EnvURL
	err    error
	kept   []string // KeptDatabase's, to drop from a server given by EnvURL
}

// Admin is the superuser URL of the shared server, starting it on first
// use; ok is false (and why says so) when there is no PostgreSQL here.
func Admin() (adminURL string, err error) {
	shared.once.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			shared.url = u
			return
		}
		dir, err := tempDir()
		if err != nil {
			shared.err = err
			return
		}
		if shared.server, shared.err = Start(filepath.Join(dir, "pg")); shared.err == nil {
			shared.url = shared.server.URL
		}
	})
	return shared.url, shared.err
}

// Main runs a package's tests and stops the server they started, if any.
func Main(m *testing.M) {
	code := m.Run()
	StopShared()
	os.Exit(code)
}

// StopShared stops the server Admin started, if it did.
func StopShared() {
	if len(shared.kept) > 0 && shared.server == nil {
		dropKept()
	}
	if shared.server != nil {
		shared.server.Stop()
		os.Remove(filepath.Dir(shared.server.dir))
	}
}

// Skip skips t with one line saying how to run it when there is no
// PostgreSQL to test with.
func Skip(t testing.TB) string {
	t.Helper()
	u, err := Admin()
	if err != nil {
		t.Skipf("no PostgreSQL to test with (%v): install PostgreSQL 15 or later (apt-get install postgresql) or set %s=postgres://... to a superuser", err, EnvURL)
	}
	return u
}

var counter struct {
	sync.Mutex
	n int
}

// Database makes a new, empty database on the shared server for t, dropped
// when t ends, and returns the superuser's URL of it.
func Database(t testing.TB) string {
	t.Helper()
	admin := Skip(t)
	counter.Lock()
	counter.n++
	name := fmt.Sprintf("auditui_test_%d_%d", os.Getpid(), counter.n)
	counter.Unlock()
	Exec(t, admin, "CREATE DATABASE "+name)
	t.Cleanup(func() { Exec(t, admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	return WithDatabase(t, admin, name)
}

// KeptDatabase is Database for a benchmark's data made once and shared by
// several: it is dropped when the tests end (with the shared server, when
// this binary started one), not when t does.
func KeptDatabase(t testing.TB) string {
	t.Helper()
	u := Database(&keep{TB: t})
	counter.Lock()
	shared.kept = append(shared.kept, u)
	counter.Unlock()
	return u
}

// keep is t with its cleanups left to StopShared.
type keep struct{ testing.TB }

func (keep) Cleanup(func()) {}

// dropKept drops the KeptDatabase databases of a server given by EnvURL.
func dropKept() {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, shared.url)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	for _, u := range shared.kept {
		if p, err := url.Parse(u); err == nil {
			conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{strings.TrimPrefix(p.Path, "/")}.Sanitize()+" WITH (FORCE)")
		}
	}
}

// WithDatabase is u naming database name instead.
func WithDatabase(t testing.TB, u, name string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	p.Path = "/" + name
	return p.String()
}

// WithUser is u logging in as user with password.
func WithUser(t testing.TB, u, user, password string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	p.User = url.UserPassword(user, password)
	return p.String()
}

// connect is a connection to the database u names, for the caller to close.
func connect(t testing.TB, u string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// Query is the first column of each row q gives on the database u names,
// as text.
func Query(t testing.TB, u, q string) []string {
	t.Helper()
	conn := connect(t, u)
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

// Exec runs SQL statements on the database u names.
func Exec(t testing.TB, u string, sql ...string) {
	t.Helper()
	ctx := context.Background()
	conn := connect(t, u)
	defer conn.Close(ctx)
	for _, q := range sql {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// Password is the password in u.
func Password(t testing.TB, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := p.User.Password()
	return pw
}

// ServerCPU is the CPU the shared server's processes have used so far,
// ended backends included (Linux's /proc), or nil when this binary did not
// start the server: a benchmark reports it beside its own.
func ServerCPU(t testing.TB) func() time.Duration {
	t.Helper()
	Skip(t)
	if shared.server == nil {
		return nil
	}
	head, err := os.ReadFile(filepath.Join(shared.server.data(), "postmaster.pid"))
	if err != nil {
		return nil
	}
	pid, _, _ := strings.Cut(string(head), "\n")
	return func() time.Duration {
		// The postmaster's own and its reaped children's, then the live ones'.
		total := procCPU(pid, true)
		dirs, _ := os.ReadDir("/proc")
		for _, d := range dirs {
			if stat, err := os.ReadFile(filepath.Join("/proc", d.Name(), "stat")); err == nil && statField(string(stat), 4) == pid {
				total += procCPU(d.Name(), false)
			}
		}
		return total
	}
}

// procCPU is process pid's user and system time, with its reaped
// children's when children is set.
func procCPU(pid string, children bool) time.Duration {
	stat, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return 0
	}
	fields := []int{14, 15}
	if children {
		fields = append(fields, 16, 17)
	}
	var ticks int64
	for _, f := range fields {
		n, _ := strconv.ParseInt(statField(string(stat), f), 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks
}

// clockTicks is the kernel's USER_HZ, which /proc/*/stat counts in.
const clockTicks = 100

// statField is the nth field (from 1) of a /proc/*/stat line; the second,
// the command in parentheses, may hold spaces.
func statField(stat string, n int) string {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 || n < 3 {
		return ""
	}
	fields := strings.Fields(stat[i+1:])
	if n-3 >= len(fields) {
		return ""
	}
	return fields[n-3]
}
