package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store/sqlite"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
)

// growing serves an organisation that can grow: at first only the events
// before cut, then, after grow, every one.
type growing struct {
	all     []model.Event
	cut     time.Time
	current atomic.Pointer[fakeapi.Server]
}

func growingAPI(t *testing.T, n int) *growing {
	t.Helper()
	g := &growing{all: fakeapi.Org(fakeapi.OrgOptions{Events: n, Seed: 9, Now: orgNow, Hostile: true}), cut: orgNow.Add(-3 * 24 * time.Hour)}
	var early []model.Event
	for _, e := range g.all {
		if e.EffectiveAt.Before(g.cut) {
			early = append(early, e)
		}
	}
	g.current.Store(fakeapi.New(early, fakeapi.WithKey(testKey)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { g.current.Load().ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	t.Setenv(openai.EnvAdminKey, testKey)
	t.Setenv(openai.EnvBaseURL, srv.URL+"/v1")
	t.Setenv(openai.EnvOrgID, "")
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	return g
}

func (g *growing) grow() { g.current.Store(fakeapi.New(g.all, fakeapi.WithKey(testKey))) }

// ids is what the API lists by default (early: of the events before the
// cut), sorted.
func (g *growing) ids(early bool) []string {
	var out []string
	for _, e := range fakeapi.Listed(g.all, model.Filter{}) {
		if !early || e.EffectiveAt.Before(g.cut) {
			out = append(out, e.ID)
		}
	}
	slices.Sort(out)
	return out
}

// stored is how many events the API lists in both listings.
func (g *growing) stored() int {
	return len(fakeapi.Listed(g.all, model.Filter{})) + len(fakeapi.Listed(g.all, model.Filter{TenantOnly: true}))
}

// lineCounter cancels a run once it has been given n lines.
type lineCounter struct {
	mu     sync.Mutex
	b      bytes.Buffer
	n      int
	cancel func()
}

func (c *lineCounter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.b.Write(p)
	if bytes.Count(c.b.Bytes(), []byte("\n")) >= c.n {
		c.cancel()
	}
	return len(p), nil
}

// runUntil runs the command until it has written n lines to stdout (or
// ends), and returns its exit status, stdout and stderr.
func runUntil(t *testing.T, n int, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lineCounter{n: n, cancel: cancel}
	var errb bytes.Buffer
	a := newApp(strings.NewReader(""), out, &errb)
	a.now = func() time.Time { return orgNow.Add(time.Hour) }
	code := run(ctx, args, a)
	return code, out.b.String(), errb.String()
}

func lineIDs(t *testing.T, out string) []string {
	t.Helper()
	var ids []string
	for line := range strings.SplitSeq(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		e, err := model.DecodeEvent([]byte(line))
		if err != nil {
			t.Fatalf("a line that is not an event: %v", err)
		}
		ids = append(ids, e.ID)
	}
	return ids
}

func TestExportFollowResumesNeitherSkippingNorRepeating(t *testing.T) {
	g := growingAPI(t, 1500)
	path := filepath.Join(t.TempDir(), "org.db")
	early := g.ids(true)
	// Killed (its context cancelled) a third of the way through the backlog.
	code, out1, errs := runUntil(t, len(early)/3, "export", "--follow", "--interval", "10ms", "--store", path, "--checkpoint", "siem")
	if code != exitInterrupted {
		t.Fatalf("the first collector exited %d: %s", code, errs)
	}
	if n := len(lineIDs(t, out1)); n == 0 || n >= len(early) {
		t.Fatalf("the first collector wrote %d of %d events before it was stopped, so it was not stopped mid-stream", n, len(early))
	}
	g.grow()
	// Restarted, it is stopped once it has written the rest.
	got := lineIDs(t, out1)
	code, out2, errs := runUntil(t, len(g.ids(false))-len(got), "export", "--follow", "--interval", "10ms", "--store", path, "--checkpoint", "siem")
	if code != exitInterrupted || !strings.Contains(errs, `from checkpoint "siem"`) {
		t.Fatalf("the second collector exited %d: %s", code, errs)
	}
	got = append(got, lineIDs(t, out2)...)
	slices.Sort(got)
	if want := g.ids(false); !slices.Equal(got, want) {
		t.Fatalf("the two runs wrote %d events, %d distinct; the API lists %d", len(got), len(slices.Compact(slices.Clone(got))), len(want))
	}
	if len(lineIDs(t, out1)) == 0 || len(lineIDs(t, out2)) == 0 {
		t.Fatal("one collector wrote nothing, so nothing was resumed")
	}
}

func TestExportFollowOfflineFollowsAnotherSync(t *testing.T) {
	g := growingAPI(t, 1200)
	path := filepath.Join(t.TempDir(), "org.db")
	synced(t, "--store", path)
	g.grow()
	var code int
	var out, errs string
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The default listing only, as export without --follow lists it.
		code, out, errs = runUntil(t, len(g.ids(false)), "export", "--follow", "--offline", "--store", path)
	}()
	s, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Another sync writes the new events while the collector waits.
	if r := runCLI(t, context.Background(), "sync", "--store", path); r.code != exitOK {
		t.Fatalf("sync exited %d: %s", r.code, r.stderr)
	}
	<-done
	want := g.ids(false)
	got := lineIDs(t, out)
	slices.Sort(got)
	if code != exitInterrupted || !slices.Equal(got, want) {
		t.Fatalf("offline collector exited %d (%s) with %d events, want the %d of the default listing", code, errs, len(got), len(want))
	}
}

func TestSyncFollowPollsUntilCancelled(t *testing.T) {
	g := growingAPI(t, 1000)
	path := filepath.Join(t.TempDir(), "org.db")
	codes, errb, cancel := syncFollow(t, path, "10ms")
	// Once the first round is reported, the organisation grows; the next
	// round that stores something has the rest.
	for strings.Count(errb.String(), " stored in ") < 1 {
		time.Sleep(5 * time.Millisecond)
	}
	g.grow()
	for strings.Count(errb.String(), " stored in ") < 2 {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if code := <-codes; code != exitInterrupted {
		t.Fatalf("sync --follow exited %d: %s", code, errb.String())
	}
	s, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.Count(context.Background()); n != g.stored() {
		t.Fatalf("the store holds %d events, the API lists %d: %s", n, g.stored(), errb.String())
	}
}

// syncFollow starts sync --follow into the store at path, an hour after
// the organisation's events; its exit code comes on codes.
func syncFollow(t *testing.T, path, interval string) (codes <-chan int, errb *syncBuffer, cancel func()) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	errb = &syncBuffer{}
	a := newApp(strings.NewReader(""), &bytes.Buffer{}, errb)
	a.now = func() time.Time { return orgNow.Add(time.Hour) }
	c := make(chan int, 1)
	go func() { c <- run(ctx, []string{"sync", "--follow", "--interval", interval, "--store", path}, a) }()
	return c, errb, cancel
}

// syncBuffer is a bytes.Buffer safe to read while a run writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
