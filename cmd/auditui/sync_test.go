package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/sqlite"
	"github.com/auditui/auditui/openai/fakeapi"
)

func TestSyncFillsStoreThenNothingNew(t *testing.T) {
	fake, events := fakeAPI(t, 2000)
	path := filepath.Join(t.TempDir(), "org.db")
	code, stderr := runSync(t, path)
	if code != exitOK {
		t.Fatalf("sync exited %d: %s", code, stderr)
	}
	s, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, _ := s.Count(context.Background())
	if n != len(events) || !strings.Contains(stderr, " stored in ") {
		t.Fatalf("the store holds %d of %d events; stderr %q", n, len(events), stderr)
	}
	before := len(fake.Requests())
	if code, stderr := runSync(t, path); code != exitOK {
		t.Fatalf("second sync exited %d: %s", code, stderr)
	}
	if got := len(fake.Requests()) - before; got != 2 {
		t.Fatalf("a sync with nothing new made %d requests, want one per listing", got)
	}
}

func TestSyncSaysOneNewEventInTheSingular(t *testing.T) {
	_, events := fakeAPI(t, 1)
	code, stderr := runSync(t, filepath.Join(t.TempDir(), "org.db"))
	if code != exitOK {
		t.Fatalf("sync exited %d: %s", code, stderr)
	}
	if len(events) != 1 || !strings.Contains(stderr, "auditui: 1 new event stored in ") {
		t.Fatalf("a sync of %d event said %q, want \"1 new event stored\"", len(events), stderr)
	}
}

// runSync runs auditui sync on path in-process with args, retries shortened.
func runSync(t *testing.T, path string, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(strings.NewReader(""), &out, &errb)
	a.now = func() time.Time { return orgNow.Add(time.Hour) }
	a.retryWait = time.Millisecond
	code := run(context.Background(), append([]string{"sync", "--store", path}, args...), a)
	if strings.Contains(out.String()+errb.String(), testKey) {
		t.Fatal("the key was printed")
	}
	return code, errb.String()
}

// storeHolds fails unless the store at path holds exactly the events the
// API lists in both listings, each once.
func storeHolds(t *testing.T, path string, events []model.Event) {
	t.Helper()
	st, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatalf("the store does not open: %v", err)
	}
	defer st.Close()
	want := map[string]bool{}
	for _, l := range store.Listings {
		for _, e := range fakeapi.Listed(events, l.Filter()) {
			want[e.ID] = true
		}
	}
	got := 0
	for s, err := range st.Since(context.Background(), 0) {
		if err != nil {
			t.Fatal(err)
		}
		if !want[s.Event.ID] {
			t.Fatalf("the store holds %s, which the API does not list (or holds it twice)", s.Event.ID)
		}
		delete(want, s.Event.ID)
		got++
	}
	if len(want) > 0 {
		t.Fatalf("the store lacks %d of the API's events (holds %d)", len(want), got)
	}
}

// says matches a sentence of the export fault matrix in a sync's line: the
// sync's faulty request is not page 2 of one listing.
func says(s string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(s), "age 2", `age \d+`))
}

// Every fault of the export matrix through auditui sync, end to end: one
// that passes is retried and the store is complete at exit 0; one that
// lasts ends the sync with exit 1 and one sentence after the summary (or,
// where the sync does not depend on what it breaks, changes nothing), the
// store still opens, and a rerun once it clears completes the store with
// no event lost or repeated.
func TestSyncFaultMatrix(t *testing.T) {
	for _, fc := range exportFaults {
		t.Run(fc.name, func(t *testing.T) {
			var args []string
			if fc.requestTimeout > 0 {
				args = []string{"--request-timeout", fc.requestTimeout.String()}
			}
			if fc.retries > 1 {
				f := fc.fault
				f.OnRequest, f.Times = 2, 1
				_, events := fakeAPI(t, 250, fakeapi.WithFaults(f))
				path := filepath.Join(t.TempDir(), "org.db")
				if code, stderr := runSync(t, path, args...); code != exitOK || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "new events stored") {
					t.Fatalf("a sync through one fault exited %d: %q", code, stderr)
				}
				storeHolds(t, path, events)
			}
			f := fc.fault
			f.OnRequest, f.Times = 2, 1000
			if fc.retries == 1 {
				f.Times = 1 // given up at once: one is enough
			}
			fake, events := fakeAPI(t, 250, fakeapi.WithFaults(f))
			path := filepath.Join(t.TempDir(), "org.db")
			code, stderr := runSync(t, path, args...)
			if code == exitOK && fc.requestTimeout > 0 {
				t.Fatalf("a sync with --request-timeout %s waited out a server that answers in %s: %q", fc.requestTimeout, fc.fault.Delay, stderr)
			}
			if code == exitOK {
				// The fault fell where the sync does not rely on it (a
				// cursor it never follows): it must have missed nothing.
				storeHolds(t, path, events)
				return
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			last := lines[len(lines)-1]
			if code != exitFailure || len(lines) != 2 || !strings.HasPrefix(last, "auditui: ") || strings.ContainsAny(last, "\r\x1b") {
				t.Fatalf("a sync through a lasting fault exited %d, stderr %q; want 1, the summary and one sentence", code, stderr)
			}
			for _, s := range fc.says {
				if !says(s).MatchString(last) {
					t.Errorf("%q does not say %q", last, s)
				}
			}
			fake.SetFaults()
			if code, stderr := runSync(t, path); code != exitOK {
				t.Fatalf("the rerun exited %d: %s", code, stderr)
			}
			storeHolds(t, path, events)
		})
	}
}
