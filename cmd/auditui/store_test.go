package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store/sqlite"
	"github.com/auditui/auditui/model/store/syncer"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
	"github.com/auditui/auditui/ui"
)

// synced fills a store at path from the fake the environment points at.
func synced(t *testing.T, args ...string) {
	t.Helper()
	if r := runCLI(t, context.Background(), append([]string{"sync"}, args...)...); r.code != exitOK {
		t.Fatalf("sync exited %d: %s", r.code, r.stderr)
	}
}

func TestExportFromTheStoreIsTheAPIsBytes(t *testing.T) {
	fake, _ := fakeAPI(t, 900)
	fromAPI := runCLI(t, context.Background(), "export", "--no-store")
	path := filepath.Join(t.TempDir(), "org.db")
	synced(t, "--store", path)
	for _, args := range [][]string{{}, {"-q", "type:login.failed"}, {"--tenant-only"}, {"--format", "csv", "--since", "7d"}} {
		api := runCLI(t, context.Background(), append([]string{"export", "--no-store"}, args...)...)
		before := len(fake.Requests())
		st := runCLI(t, context.Background(), append([]string{"export", "--store", path}, args...)...)
		if st.code != exitOK || st.stdout != api.stdout || st.stdout == "" {
			t.Fatalf("export %v from the store (exit %d, %s) differs from the API's", args, st.code, st.stderr)
		}
		if made := len(fake.Requests()) - before; made != 2 {
			t.Fatalf("export %v over a synced store made %d requests, want one per listing", args, made)
		}
	}
	if fromAPI.stdout == "" {
		t.Fatal("nothing exported")
	}
}

func TestOfflineNeedsNoKey(t *testing.T) {
	fake, _ := fakeAPI(t, 300)
	path := filepath.Join(t.TempDir(), "org.db")
	synced(t, "--store", path)
	want := runCLI(t, context.Background(), "export", "--no-store").stdout
	t.Setenv(openai.EnvAdminKey, "")
	before := len(fake.Requests())
	r := runCLI(t, context.Background(), "export", "--offline", "--store", path)
	if r.code != exitOK || r.stdout != want {
		t.Fatalf("offline export exited %d (%s) or differs from the API's", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "offline: answering from the store "+path+", synced just now") || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("offline export did not say as of when in one line: %q", r.stderr)
	}
	if made := len(fake.Requests()) - before; made != 0 {
		t.Fatalf("--offline made %d requests", made)
	}
}

func TestHistoryFromTheStore(t *testing.T) {
	fake, events := fakeAPI(t, 1200)
	id := ""
	counts := map[string]int{}
	for _, e := range listed(events) {
		for _, r := range e.ResourceIDs() {
			if counts[r]++; counts[r] == 4 && id == "" {
				id = r
			}
		}
	}
	path := filepath.Join(t.TempDir(), "org.db")
	synced(t, "--store", path)
	for _, format := range []string{"jsonl", "text"} {
		want := runCLI(t, context.Background(), "history", "--no-store", "--format", format, id)
		online := runCLI(t, context.Background(), "history", "--store", path, "--format", format, id)
		t.Setenv(openai.EnvAdminKey, "")
		before := len(fake.Requests())
		offline := runCLI(t, context.Background(), "history", "--offline", "--store", path, "--format", format, id)
		t.Setenv(openai.EnvAdminKey, testKey)
		if want.code != exitOK || want.stdout == "" || online.stdout != want.stdout || offline.stdout != want.stdout {
			t.Fatalf("history %s of %s: from the API exit %d, the store online %d and offline %d (%s) differ", format, id, want.code, online.code, offline.code, offline.stderr)
		}
		if made := len(fake.Requests()) - before; made != 0 {
			t.Fatalf("offline history made %d requests", made)
		}
	}
}

func TestTheDefaultStoreIsUsedOnlyWhenItExists(t *testing.T) {
	fake, events := fakeAPI(t, 400)
	dir := os.Getenv("XDG_DATA_HOME")
	before := len(fake.Requests())
	if r := runCLI(t, context.Background(), "export"); r.code != exitOK {
		t.Fatalf("export exited %d: %s", r.code, r.stderr)
	}
	if made := len(fake.Requests()) - before; made != (len(listed(events))+99)/100 {
		t.Fatalf("without a store export made %d requests, want the plain listing", made)
	}
	if _, err := os.Stat(filepath.Join(dir, "auditui")); !os.IsNotExist(err) {
		t.Fatalf("export without a store wrote under the data directory (%v)", err)
	}
	synced(t)
	before = len(fake.Requests())
	if r := runCLI(t, context.Background(), "export"); r.code != exitOK || r.stdout != jsonLines(listed(events)) {
		t.Fatalf("export over the default store exited %d: %s", r.code, r.stderr)
	}
	if made := len(fake.Requests()) - before; made != 2 {
		t.Fatalf("export over the default store made %d requests, want one per listing", made)
	}
}

func TestStoreFlagMistakes(t *testing.T) {
	fakeAPI(t, 10)
	missing := filepath.Join(t.TempDir(), "none.db")
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"export", "--no-store", "--offline"}, exitUsage, "--no-store cannot be used"},
		{[]string{"export", "--demo", "--store", missing}, exitUsage, "--demo and --file never do"},
		{[]string{"export", "--offline", "--store", missing}, exitFailure, "there is no store at"},
		{[]string{"export", "--offline"}, exitFailure, "auditui sync makes one"},
		{[]string{"export", "--store", "postgres://u:s3cret@h.invalid/db?connect_timeout=5"}, exitFailure, "the server h.invalid is not known"},
	} {
		r := runCLI(t, context.Background(), c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.says) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q in one line", c.args, r.code, r.stderr, c.code, c.says)
		}
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatal("a missing --store was made by a command that only reads it")
	}
}

func TestStoreCommandSaysWhatTheStoreHolds(t *testing.T) {
	_, events := fakeAPI(t, 500)
	path := filepath.Join(t.TempDir(), "org.db")
	if r := runCLI(t, context.Background(), "store", "--store", path); r.code != exitFailure || !strings.Contains(r.stderr, "there is no store at") {
		t.Fatalf("store before any sync: exit %d, %q", r.code, r.stderr)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("auditui store made the store")
	}
	synced(t, "--store", path)
	r := runCLI(t, context.Background(), "store", "--store", path)
	n := len(listed(events)) + len(fakeAPIListedTenant(events))
	for _, want := range []string{
		"store                 " + path + "\n",
		"events                " + strconv.Itoa(n) + "\n",
		"covers (default)      the beginning to " + orgNow.Format(time.RFC3339) + "\n",
		"covers (tenant_only)  the beginning to ",
		"last sync             " + orgNow.Format(time.RFC3339) + " (synced just now)\n",
		"origin                " + os.Getenv(openai.EnvBaseURL) + " (no organisation id)\n",
		"size                  ",
	} {
		if r.code != exitOK || !strings.Contains(r.stdout, want) {
			t.Fatalf("auditui store (exit %d) lacks %q:\n%s%s", r.code, want, r.stdout, r.stderr)
		}
	}
}

func fakeAPIListedTenant(events []model.Event) []model.Event {
	return fakeapi.Listed(events, model.Filter{TenantOnly: true})
}

func TestIPQueryOverTheStoreIsTheAPIs(t *testing.T) {
	_, events := fakeAPI(t, 900)
	ip := ""
	for _, e := range listed(events) {
		if ip = e.Actor.IP(); ip != "" {
			break
		}
	}
	path := filepath.Join(t.TempDir(), "org.db")
	synced(t, "--store", path)
	for _, q := range []string{"ip:" + ip, "ip:" + ip + " type:login.succeeded", "ip:" + ip + "/16"} {
		api := runCLI(t, context.Background(), "export", "--no-store", "-q", q)
		st := runCLI(t, context.Background(), "export", "--offline", "--store", path, "-q", q)
		if api.code != exitOK || api.stdout == "" || st.stdout != api.stdout {
			t.Fatalf("-q %q: the store's answer (exit %d) differs from the API's (exit %d, %d bytes)", q, st.code, api.code, len(api.stdout))
		}
	}
}

// --max-events bounds what one browser run over a store fetches from the
// API, over its syncs and queries together: each page asks for no more than
// is left, then the run says so and answers from the store.
func TestMaxEventsBoundsWhatTheBrowserFetches(t *testing.T) {
	fake, events := fakeAPI(t, 3000)
	// Served counts the events in every answer, which the limit bounds.
	var served atomic.Int64
	srv := fakeapi.NewTestServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, r)
		var page struct{ Data []json.RawMessage }
		if json.Unmarshal(rec.Body.Bytes(), &page) == nil {
			served.Add(int64(len(page.Data)))
		}
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	}))
	defer srv.Close()
	t.Setenv(openai.EnvBaseURL, srv.URL+"/v1")
	path := filepath.Join(t.TempDir(), "org.db")
	runAt := func(now time.Time, browse func(ui.Options), args ...string) {
		t.Helper()
		var out, errb bytes.Buffer
		a := newApp(strings.NewReader(""), &out, &errb)
		a.now = func() time.Time { return now }
		a.browse = func(_ context.Context, o ui.Options) error { browse(o); return nil }
		if code := run(context.Background(), args, a); code != exitOK {
			t.Fatalf("%v exited %d: %s", args, code, errb.String())
		}
	}
	count := func() int {
		st, err := sqlite.Open(path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		n, _ := st.Count(context.Background())
		return n
	}
	// A store synced a month ago: the month since is for the browser to fetch.
	runAt(orgNow.Add(-30*24*time.Hour), nil, "sync", "--store", path)
	had, before := count(), served.Load()
	runAt(orgNow, func(opts ui.Options) {
		err := opts.Sync(context.Background())
		if err == nil || !strings.Contains(err.Error(), "stopped after fetching 300 events from the API") || strings.Contains(err.Error(), "\n") {
			t.Errorf("a sync past --max-events said %v", err)
		}
		// A poll fetches no more; a query answers from the store, and says
		// the limit where it would list from the API what the store lacks.
		if err := opts.Sync(context.Background()); !errors.Is(err, syncer.ErrLimit) {
			t.Errorf("a second sync of the run said %v", err)
		}
		n := 0
		for p, err := range opts.Source.Pages(context.Background(), model.Query{Filter: model.Filter{Types: []string{"login.failed"}}}) {
			if err != nil && !errors.Is(err, syncer.ErrLimit) {
				t.Errorf("a query after the limit: %v", err)
			}
			n += len(p.Events)
		}
		if n == 0 {
			t.Error("a query after the limit found nothing in the store")
		}
	}, "--store", path, "--max-events", "300")
	if got, fetched := count(), served.Load()-before; fetched > 300 || got == had {
		t.Fatalf("the browser fetched %d events from the API and stored %d new; want some, and no more than 300", fetched, got-had)
	}
	// What the run fetched is kept whole: a sync completes the store.
	runAt(orgNow, nil, "sync", "--store", path)
	if got := count(); got != len(events) {
		t.Fatalf("the store holds %d of %d events", got, len(events))
	}
}
