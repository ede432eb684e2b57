package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
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
