package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
	"github.com/auditui/auditui/ui"
)

const testKey = "sk-admin-CLITESTKEY-7d1e0b9a4c"

var orgNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
	browsed        *ui.Options
}

// runCLI runs the real command tree with args against buffers.
func runCLI(t *testing.T, ctx context.Context, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(strings.NewReader(""), &out, &errb)
	a.now = func() time.Time { return orgNow }
	var browsed *ui.Options
	a.browse = func(_ context.Context, o ui.Options) error { browsed = &o; return nil }
	code := run(ctx, args, a)
	r := result{code: code, stdout: out.String(), stderr: errb.String(), browsed: browsed}
	if strings.Contains(r.stdout+r.stderr, testKey) || strings.Contains(r.stdout+r.stderr, "CLITESTKEY") {
		t.Fatalf("the key was printed:\n%s\n%s", r.stdout, r.stderr)
	}
	return r
}

// fakeAPI serves n synthetic events and points the environment at them.
func fakeAPI(t *testing.T, n int, opts ...fakeapi.Option) (*fakeapi.Server, []model.Event) {
	t.Helper()
	events := fakeapi.Org(fakeapi.OrgOptions{Events: n, Seed: 3, Now: orgNow, Hostile: true})
	fake := fakeapi.New(events, append([]fakeapi.Option{fakeapi.WithKey(testKey)}, opts...)...)
	srv := fakeapi.NewTestServer(fake)
	t.Cleanup(srv.Close)
	t.Setenv(openai.EnvAdminKey, testKey)
	t.Setenv(openai.EnvBaseURL, srv.URL+"/v1")
	t.Setenv(openai.EnvOrgID, "")
	t.Setenv("XDG_DATA_HOME", t.TempDir()) // the default store is the test's own
	slices.SortStableFunc(events, func(a, b model.Event) int { return b.EffectiveAt.Compare(a.EffectiveAt) })
	return fake, events
}

// listed is what a listing with no filter returns: tenant-scoped events
// come only with tenant_only.
func listed(events []model.Event) []model.Event { return fakeapi.Listed(events, model.Filter{}) }

func jsonLines(events []model.Event) string {
	var b strings.Builder
	for _, e := range events {
		b.Write(e.Raw)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestExportJSONLFromTheAPI(t *testing.T) {
	fake, events := fakeAPI(t, 250)
	events = listed(events)
	r := runCLI(t, context.Background(), "export")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if r.stdout != jsonLines(events) {
		t.Fatal("export is not every event, newest first, byte for byte")
	}
	if n, want := len(fake.Requests()), (len(events)+99)/100; n != want || want < 2 {
		t.Fatalf("%d requests for %d events, want %d", n, len(events), want)
	}
}

func TestFilterFlagsReachTheWire(t *testing.T) {
	fake, _ := fakeAPI(t, 50)
	r := runCLI(t, context.Background(), "export",
		"--type", "api_key.*", "--type", "login.failed",
		"--actor", "user-abc", "-a", "key_123",
		"--project", "proj_1,proj_2", "--resource", "key_9",
		"--since", "2026-10-01", "--until", "1793491200",
		"--page-size", "50")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	q := fake.Requests()[0].Query
	// Actor emails with ids would be ANDed by the API; query_test.go covers them.
	want := map[string][]string{
		"event_types[]":     {"api_key.created", "api_key.updated", "api_key.deleted", "login.failed"},
		"actor_ids[]":       {"user-abc", "key_123"},
		"project_ids[]":     {"proj_1", "proj_2"},
		"resource_ids[]":    {"key_9"},
		"effective_at[gte]": {"1790812800"},
		"effective_at[lt]":  {"1793491200"},
		"limit":             {"50"},
	}
	for k, v := range want {
		if !slices.Equal(q[k], v) {
			t.Errorf("%s = %q, want %q", k, q[k], v)
		}
	}
	if len(q) != len(want) {
		t.Errorf("query %v has parameters beyond %d", q, len(want))
	}

	r = runCLI(t, context.Background(), "export", "--tenant-only", "--type", "role.bound_to_resource")
	q = fake.Requests()[1].Query
	if r.code != 0 || q.Get("tenant_only") != "true" || q.Get("event_types[]") != "role.bound_to_resource" {
		t.Fatalf("exit %d (%s), query %v", r.code, r.stderr, q)
	}
}

func TestLimit(t *testing.T) {
	fake, events := fakeAPI(t, 250)
	events = listed(events)
	r := runCLI(t, context.Background(), "export", "--limit", "5")
	if r.code != 0 || r.stdout != jsonLines(events[:5]) {
		t.Fatalf("exit %d, output %q", r.code, r.stdout)
	}
	if reqs := fake.Requests(); len(reqs) != 1 || reqs[0].Query.Get("limit") != "5" {
		t.Fatalf("requests %v, want one with limit=5", reqs)
	}
}

func TestFailureKeepsWhatWasWritten(t *testing.T) {
	for _, format := range []string{"jsonl", "json", "csv"} {
		t.Run(format, func(t *testing.T) {
			// Page 2 is rate-limited with a wait longer than auditui waits.
			_, events := fakeAPI(t, 250, fakeapi.WithFaults(fakeapi.Fault{Kind: fakeapi.RateLimited, OnRequest: 2, Times: 1000, RetryAfter: 10 * time.Minute}))
			events = listed(events)
			r := runCLI(t, context.Background(), "export", "--format", format)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1", r.code)
			}
			if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "auditui: ") || !strings.Contains(r.stderr, "429") {
				t.Fatalf("stderr is not one line about the 429: %q", r.stderr)
			}
			switch format {
			case "jsonl":
				if r.stdout != jsonLines(events[:100]) {
					t.Fatal("the first page was not kept whole")
				}
			case "json":
				if !strings.HasSuffix(r.stdout, "\n]\n") || strings.Count(r.stdout, `"id":"audit_log`) < 100 {
					t.Fatalf("JSON not closed after the failure: ...%s", r.stdout[max(0, len(r.stdout)-40):])
				}
			case "csv":
				rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
				if err != nil || len(rows) != 101 {
					t.Fatalf("%d CSV rows (%v), want header and 100", len(rows), err)
				}
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	t.Setenv(openai.EnvAdminKey, "")
	for _, args := range [][]string{
		{"export", "--bogus"},
		{"export", "--since", "yesterday-ish"},
		{"export", "--until", "-1000000000001"},
		{"export", "--since", "2026-02-01", "--until", "2026-01-01"},
		{"export", "--type", "nothing.like.this.*"},
		{"export", "--page-size", "0"},
		{"export", "--page-size", "101"},
		{"export", "--format", "xml"},
		{"export", "--limit", "-1"},
		{"export", "--demo", "--file", "x.jsonl"},
		{"export", "extra"},
		{"frobnicate"},
		{"--max-events", "-3"},
		{"--max-events", "many"},
	} {
		r := runCLI(t, context.Background(), args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
			continue
		}
		if r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "auditui: ") {
			t.Errorf("%v: want one line on stderr and nothing on stdout, got %q / %q", args, r.stdout, r.stderr)
		}
	}
}

func TestMissingKeySuggestsDemo(t *testing.T) {
	t.Setenv(openai.EnvAdminKey, "")
	r := runCLI(t, context.Background(), "export")
	if r.code != 1 || !strings.Contains(r.stderr, "OPENAI_ADMIN_KEY") || !strings.Contains(r.stderr, "--demo") {
		t.Fatalf("exit %d: %q", r.code, r.stderr)
	}
}

func TestWrongKeyIsOneSentence(t *testing.T) {
	fakeAPI(t, 10)
	t.Setenv(openai.EnvAdminKey, testKey+"-wrong")
	r := runCLI(t, context.Background(), "export")
	if r.code != 1 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "refused the admin key") {
		t.Fatalf("exit %d: %q", r.code, r.stderr)
	}
}

// Plain http to a host that is not loopback is refused before any request
// unless --insecure-http or AUDITUI_INSECURE_HTTP says so. 0.0.0.0 is not
// loopback by name, yet Linux connects it to this machine, so the allowed
// case still sends nothing off it.
func TestPlainHTTPElsewhereNeedsInsecureHTTP(t *testing.T) {
	fake, events := fakeAPI(t, 30)
	base := strings.Replace(os.Getenv(openai.EnvBaseURL), "127.0.0.1", "0.0.0.0", 1)
	t.Setenv(openai.EnvBaseURL, base)
	t.Setenv(openai.EnvInsecureHTTP, "")
	r := runCLI(t, context.Background(), "export")
	if r.code != 1 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "unencrypted") ||
		!strings.Contains(r.stderr, "--insecure-http") || !strings.Contains(r.stderr, openai.EnvInsecureHTTP) || r.stdout != "" {
		t.Fatalf("exit %d: %q", r.code, r.stderr)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Fatalf("%d requests sent before refusing", n)
	}
	want := len(listed(events))
	r = runCLI(t, context.Background(), "export", "--insecure-http")
	if r.code != 0 || strings.Count(r.stdout, "\n") != want {
		t.Fatalf("--insecure-http: exit %d, %d lines, want %d: %s", r.code, strings.Count(r.stdout, "\n"), want, r.stderr)
	}
	t.Setenv(openai.EnvInsecureHTTP, "1")
	if r = runCLI(t, context.Background(), "export"); r.code != 0 {
		t.Fatalf("%s=1: exit %d: %s", openai.EnvInsecureHTTP, r.code, r.stderr)
	}
}

func TestExportFromAFileFiltersLocally(t *testing.T) {
	t.Setenv(openai.EnvAdminKey, "")
	path := filepath.Join(t.TempDir(), "saved.jsonl")
	lines := []string{
		`{"id":"a1","type":"login.failed","effective_at":1790000000,"actor":{"type":"session","session":{"user":{"id":"u1","email":"bob@example.com"},"ip_address":"198.51.100.7"}},"login.failed":{"error_code":"invalid_password"}}`,
		`{"id":"a2","type":"login.succeeded","effective_at":1790000100}`,
		`{"id": 12, "this record": "is bad"}`,
		`{"id":"a3","type":"login.failed","effective_at":1790000200}`,
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, context.Background(), "export", "--file", path, "--type", "login.failed")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if want := lines[3] + "\n" + lines[0] + "\n"; r.stdout != want {
		t.Fatalf("got %q, want the two failed sign-ins newest first", r.stdout)
	}
	// The file is oldest first: said once, and sorted.
	if !strings.Contains(r.stderr, "line 3") || !strings.Contains(r.stderr, "not newest first (line 2") || strings.Count(r.stderr, "\n") != 2 {
		t.Fatalf("skipped record not reported with its line, or the sort not said: %q", r.stderr)
	}

	many := filepath.Join(t.TempDir(), "many.jsonl")
	if err := os.WriteFile(many, bytes.Repeat([]byte(`{"id": 1, "type": "login.failed"}`+"\n"), 50), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, context.Background(), "export", "--file", many)
	if lines := strings.Split(strings.TrimSpace(r.stderr), "\n"); r.code != 0 || len(lines) != maxSkippedLines+1 || !strings.Contains(lines[maxSkippedLines], "and 30 more") {
		t.Fatalf("50 bad lines: exit %d, stderr %q", r.code, r.stderr)
	}

	r = runCLI(t, context.Background(), "export", "--file", filepath.Join(t.TempDir(), "missing.jsonl"))
	if r.code != 1 || !strings.Contains(r.stderr, "missing.jsonl") {
		t.Fatalf("missing file: exit %d %q", r.code, r.stderr)
	}
}

// cancelOnWrite cancels a context once output starts, as Ctrl-C would.
type cancelOnWrite struct {
	bytes.Buffer
	once   sync.Once
	cancel func()
}

func (c *cancelOnWrite) Write(p []byte) (int, error) {
	c.once.Do(c.cancel)
	return c.Buffer.Write(p)
}

func TestInterruptStopsAtACompleteEvent(t *testing.T) {
	// Page 2 would take an hour; Ctrl-C comes as page 1 is written.
	_, events := fakeAPI(t, 250, fakeapi.WithFaults(fakeapi.Fault{Kind: fakeapi.Slow, OnRequest: 2, Delay: time.Hour}))
	events = listed(events)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &cancelOnWrite{cancel: cancel}
	var errb bytes.Buffer
	a := newApp(strings.NewReader(""), out, &errb)
	code := run(ctx, []string{"export"}, a)
	if code != exitInterrupted {
		t.Fatalf("exit %d (%s), want %d", code, errb.String(), exitInterrupted)
	}
	// Whole events, in order, from the first page only.
	got := out.String()
	n := strings.Count(got, "\n")
	if n == 0 || n > 100 || got != jsonLines(events[:n]) {
		t.Fatalf("output after Ctrl-C is not whole events from page 1: %d lines, %d bytes", n, len(got))
	}
	if want := fmt.Sprintf("interrupted; %d events", n); !strings.Contains(errb.String(), want) {
		t.Fatalf("stderr %q, want %q", errb.String(), want)
	}
}

func TestBrowserGetsTheQuery(t *testing.T) {
	fakeAPI(t, 10)
	r := runCLI(t, context.Background(), "--type", "login.*", "--since", "7d", "--max-events", "500", "--page-size", "20")
	if r.code != 0 || r.browsed == nil {
		t.Fatalf("exit %d, browsed %v: %s", r.code, r.browsed, r.stderr)
	}
	o := r.browsed
	if o.MaxEvents != 500 || o.Query.PageSize != 20 || !o.Query.Filter.Since.Equal(orgNow.Add(-7*24*time.Hour)) {
		t.Fatalf("options %+v", o)
	}
	if !slices.Equal(o.Query.Filter.Types, []string{"login.succeeded", "login.failed"}) {
		t.Fatalf("types %v", o.Query.Filter.Types)
	}
	if !strings.HasPrefix(o.Source.Name(), "OpenAI organisation") {
		t.Fatalf("source %q", o.Source.Name())
	}
}

func TestDemoExport(t *testing.T) {
	t.Setenv(openai.EnvAdminKey, "")
	r := runCLI(t, context.Background(), "export", "--demo", "--limit", "3", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if r.code != 0 || err != nil || len(rows) != 4 {
		t.Fatalf("exit %d, %d rows (%v): %s", r.code, len(rows), err, r.stderr)
	}
	r = runCLI(t, context.Background(), "--demo")
	if r.code != 0 || r.browsed == nil || r.browsed.Source.Name() != "demo" {
		t.Fatalf("browser on the demo: exit %d %s", r.code, r.stderr)
	}
}

func TestVersion(t *testing.T) {
	r := runCLI(t, context.Background(), "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "auditui ") || !strings.Contains(r.stdout, "go1.") {
		t.Fatalf("exit %d: %q", r.code, r.stdout)
	}
}

func TestTypeCompletion(t *testing.T) {
	r := runCLI(t, context.Background(), "__complete", "export", "--type", "api_k")
	for _, want := range []string{"api_key.created\t", "api_key.*\t"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("completion of api_k lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "login.") {
		t.Errorf("completion of api_k offers other types:\n%s", r.stdout)
	}
	r = runCLI(t, context.Background(), "completion", "bash")
	if r.code != 0 || !strings.Contains(r.stdout, "auditui") {
		t.Fatalf("completion bash: exit %d", r.code)
	}
}

// The official example is pretty-printed and its last_id matches none of its
// records: export follows last_id and writes each record on one line.
func TestExportOfTheOfficialExample(t *testing.T) {
	example, err := os.ReadFile("../../model/testdata/example-list-response.json")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var afters []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		after := r.URL.Query().Get("after")
		mu.Lock()
		afters = append(afters, after)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if after == "" {
			_, _ = w.Write(example)
			return
		}
		_, _ = w.Write([]byte(`{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}`))
	}))
	defer srv.Close()
	t.Setenv(openai.EnvAdminKey, testKey)
	t.Setenv(openai.EnvBaseURL, srv.URL+"/v1")
	r := runCLI(t, context.Background(), "export")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(afters, []string{"", "audit_log_yyy__20240101"}) {
		t.Fatalf("cursors sent %q", afters)
	}
	var list struct{ Data []json.RawMessage }
	if err := json.Unmarshal(example, &list); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != len(list.Data) {
		t.Fatalf("%d lines, want %d", len(lines), len(list.Data))
	}
	for i, line := range lines {
		var want bytes.Buffer
		_ = json.Compact(&want, list.Data[i])
		if line != want.String() {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, line, want.String())
		}
	}
}

func TestExportFromStdin(t *testing.T) {
	t.Setenv(openai.EnvAdminKey, "")
	in := `{"object":"list","data":[{"id":"b","type":"login.succeeded","effective_at":1790000000},{"id":"c","type":"logout.succeeded","effective_at":1790000500}],"first_id":"b","last_id":"c","has_more":false}`
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"export", "--file", "-", "--format", "csv"}, newApp(strings.NewReader(in), &out, &errb))
	rows, err := csv.NewReader(&out).ReadAll()
	if code != 0 || err != nil || len(rows) != 3 || rows[1][0] != "c" || rows[2][0] != "b" {
		t.Fatalf("exit %d (%s), rows %q, want c then b", code, errb.String(), rows)
	}
}

func TestInterruptBeforeAnyEvent(t *testing.T) {
	fakeAPI(t, 10)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := runCLI(t, ctx, "export", "--format", "json")
	if r.code != exitInterrupted || r.stdout != "[]\n" || !strings.HasPrefix(r.stderr, "auditui: interrupted") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestTypesListsTheCatalogue(t *testing.T) {
	r := runCLI(t, context.Background(), "types")
	if r.code != 0 || strings.Count(r.stdout, "\n") != len(model.EventTypes()) {
		t.Fatalf("exit %d, %d lines, want one per catalogued type (%d)", r.code, strings.Count(r.stdout, "\n"), len(model.EventTypes()))
	}
	r = runCLI(t, context.Background(), "types", "api_key.*", "role.bound_to_resource")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[0], "api_key.created ") ||
		!strings.Contains(lines[3], "role.bound_to_resource") || !strings.HasSuffix(lines[3], "(tenant-scoped)") {
		t.Fatalf("exit %d, output:\n%s", r.code, r.stdout)
	}
	r = runCLI(t, context.Background(), "types", "nosuch.*")
	if r.code != 2 || !strings.Contains(r.stderr, `"nosuch.*"`) {
		t.Fatalf("a glob matching nothing: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestTypesNamingNothingKnownFails(t *testing.T) {
	r := runCLI(t, context.Background(), "types", "nosuch")
	if r.code != exitFailure || r.stdout != "" || !strings.Contains(r.stderr, `no known event type is named "nosuch"`) {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, context.Background(), "types", "nosuch", "login.failed")
	if r.code != exitFailure || !strings.HasPrefix(r.stdout, "login.failed ") || !strings.Contains(r.stderr, `"nosuch"`) {
		t.Fatalf("one known, one not: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestCompletionForAnUnknownShellIsAUsageError(t *testing.T) {
	r := runCLI(t, context.Background(), "completion", "tcsh")
	if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, `no completion for "tcsh"`) {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, context.Background(), "completion")
	if r.code != exitOK || !strings.Contains(r.stdout, "bash") {
		t.Fatalf("completion alone: exit %d, stdout %q", r.code, r.stdout)
	}
}

// A query error points at export --help, and that help documents every key.
func TestQueryErrorsPointAtHelpThatHasTheKeys(t *testing.T) {
	r := runCLI(t, context.Background(), "--demo", "-q", "foo:bar")
	if r.code != exitUsage || !strings.Contains(r.stderr, "(see auditui export --help)") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	r = runCLI(t, context.Background(), "export", "--help")
	for _, k := range query.Keys {
		if !strings.Contains(r.stdout, "  "+string(k)+":") {
			t.Errorf("export --help lacks the query key %s:\n%s", k, r.stdout)
		}
	}
}

// The browser's --interval sets how often F polls; without it the source's
// own holds (the demo's 5 s, else ui.DefaultInterval); 0 or less is refused.
func TestBrowserIntervalFlag(t *testing.T) {
	fakeAPI(t, 10)
	ctx := context.Background()
	if r := runCLI(t, ctx, "--no-store", "--interval", "2m"); r.code != exitOK || r.browsed == nil || r.browsed.Interval != 2*time.Minute {
		t.Fatalf("--interval 2m: exit %d, options %+v, stderr %q", r.code, r.browsed, r.stderr)
	}
	if r := runCLI(t, ctx, "--no-store"); r.code != exitOK || r.browsed == nil || r.browsed.Interval != 0 {
		t.Fatalf("no --interval: exit %d, options %+v (want 0, the browser's default)", r.code, r.browsed)
	}
	if r := runCLI(t, ctx, "--demo", "--interval", "1s"); r.code != exitOK || r.browsed == nil || r.browsed.Interval != time.Second {
		t.Fatalf("--demo --interval 1s: exit %d, options %+v", r.code, r.browsed)
	}
	for _, bad := range []string{"0s", "-5s"} {
		r := runCLI(t, ctx, "--no-store", "--interval", bad)
		if r.code != exitUsage || !strings.Contains(r.stderr, "--interval must be more than 0") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("--interval %s: exit %d, stderr %q; want a one-line usage error", bad, r.code, r.stderr)
		}
	}
}

// --request-timeout of 0 or less is refused in one line by every command
// that asks the API, before anything is asked.
func TestRequestTimeoutMustBePositive(t *testing.T) {
	fake, _ := fakeAPI(t, 10)
	for _, args := range [][]string{{"--no-store"}, {"export", "--no-store"}, {"sync", "--store", filepath.Join(t.TempDir(), "org.db")}} {
		for _, bad := range []string{"0s", "-1m"} {
			r := runCLI(t, context.Background(), append(args, "--request-timeout", bad)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, "--request-timeout must be more than 0") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Errorf("%v --request-timeout %s: exit %d, stderr %q; want a one-line usage error", args, bad, r.code, r.stderr)
			}
		}
	}
	if n := len(fake.Requests()); n != 0 {
		t.Fatalf("%d requests were made with a refused --request-timeout", n)
	}
}
