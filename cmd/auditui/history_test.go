package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/history"
)

// objectWithChanges is an id in events that more than one event names,
// starting with an update, so that the first before is unknown.
func objectWithChanges(t *testing.T, events []model.Event, typ string) string {
	t.Helper()
	count := map[string]int{}
	for i := range events {
		if events[i].Type == typ {
			count[history.Objects(&events[i])[0]]++
		}
	}
	for id, n := range count {
		if n >= 2 {
			return id
		}
	}
	t.Fatalf("no %s object changes twice", typ)
	return ""
}

func TestHistoryFromTheAPIAsksForTheObject(t *testing.T) {
	fake, events := fakeAPI(t, 3000)
	id := objectWithChanges(t, events, "api_key.updated")
	r := runCLI(t, context.Background(), "history", id, "--format", "jsonl")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var want []model.Event
	for _, e := range events {
		if slices.Contains(e.ResourceIDs(), id) {
			want = append(want, e)
		}
	}
	slices.Reverse(want)
	if r.stdout != jsonLines(want) {
		t.Errorf("jsonl is not the object's events oldest first, byte for byte:\n%s\nwant\n%s", r.stdout, jsonLines(want))
	}
	reqs := fake.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want one listing per side", len(reqs))
	}
	for i, req := range reqs {
		if got := req.Query["resource_ids[]"]; !slices.Equal(got, []string{id}) {
			t.Errorf("request %d: resource_ids[] = %q", i, got)
		}
	}
	if reqs[1].Query.Get("tenant_only") != "true" {
		t.Errorf("the second listing asks for tenant-scoped events: %v", reqs[1].Query)
	}
}

func TestHistoryOfAFile(t *testing.T) {
	lines := []string{
		`{"id":"e4","type":"project.updated","effective_at":1790000300,"actor":{"type":"session","session":{"user":{"id":"user-1","email":"ann@example.com"},"ip_address":"198.51.100.7"}},"project.updated":{"id":"proj_1","changes_requested":{"title":"\u001b[2J\u202egone"}}}`,
		`{"id":"e3","type":"project.updated","effective_at":1790000200,"project.updated":{"id":"proj_1","changes_requested":{"title":"Beta"}}}`,
		`{"id":"e2","type":"login.succeeded","effective_at":1790000100,"login.succeeded":{}}`,
		`{"id":"e1","type":"project.updated","effective_at":1790000000,"project.updated":{"id":"proj_1","changes_requested":{"title":"Alpha"}}}`,
		`{"id":"e0","type":"login.succeeded","effective_at":1789900000,"login.succeeded":{}}`,
	}
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, context.Background(), "history", "--file", path, "proj_1")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"project proj_1: 3 events; the log is known since 2026-09-20",
		"title: Alpha (before: not in the log since 2026-09-20)",
		"title: Alpha → Beta",
		"title: Beta → ␛[2J\\u202egone",
		"by ann@example.com from 198.51.100.7",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.ContainsAny(r.stdout, "\x1b\u202e") {
		t.Error("a control character reached the terminal")
	}

	r = runCLI(t, context.Background(), "history", "--file", path, "proj_1", "--format", "json")
	var steps []struct {
		EventID string                     `json:"event_id"`
		Actor   string                     `json:"actor"`
		State   map[string]json.RawMessage `json:"state"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &steps); err != nil || r.code != 0 {
		t.Fatalf("exit %d, %v: %s", r.code, err, r.stdout)
	}
	if len(steps) != 3 || steps[0].EventID != "e1" || steps[2].Actor != "ann@example.com" || string(steps[2].State["title"]) != `"\u001b[2J\u202egone"` {
		t.Errorf("steps %+v", steps)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"history", "--file", path, "proj_none"}, 1, "no event in " + path + " names proj_none"},
		{[]string{"history", "--file", path}, 2, "history takes one object id"},
		{[]string{"history", "--file", path, "proj_1", "--format", "csv"}, 2, `unknown format "csv"`},
		{[]string{"history", "--file", path, "--demo", "proj_1"}, 2, "--demo and --file cannot be used together"},
	} {
		r := runCLI(t, context.Background(), tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, r.code, r.stderr, tc.code, tc.want)
		}
	}
}

// TestHistoryEdgeCases: over a file listed newest first, a history that
// starts with an update, two changes of one field in the same second, a
// deletion and re-creation, an unknown type and a field set to null or an
// empty list, in text, jsonl (the records oldest first, byte for byte) and
// json.
func TestHistoryEdgeCases(t *testing.T) {
	lines := []string{
		`{"id":"k6","type":"api_key.updated","effective_at":1790000500,"api_key.updated":{"id":"key_e","changes_requested":{"scopes":[],"name":null}}}`,
		`{"id":"k5","type":"api_key.future_thing","effective_at":1790000450,"api_key.future_thing":{"id":"key_e","x":1}}`,
		`{"id":"k4","type":"api_key.created","effective_at":1790000400,"api_key.created":{"id":"key_e","data":{"scopes":["api.z"]}}}`,
		`{"id":"k3","type":"api_key.deleted","effective_at":1790000300,"api_key.deleted":{"id":"key_e"}}`,
		`{"id":"k2b","type":"api_key.updated","effective_at":1790000200,"api_key.updated":{"id":"key_e","changes_requested":{"name":"second"}}}`,
		`{"id":"k2a","type":"api_key.updated","effective_at":1790000200,"api_key.updated":{"id":"key_e","changes_requested":{"name":"first"}}}`,
		`{"id":"k1","type":"api_key.updated","effective_at":1790000100,"api_key.updated":{"id":"key_e","changes_requested":{"name":"zero"}}}`,
	}
	path := filepath.Join(t.TempDir(), "edge.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, context.Background(), "history", "--file", path, "key_e")
	for _, want := range []string{
		"7 events, 2 lives",
		"name: zero (before: not in the log since 2026-09-21)",
		"name: zero → first", "name: first → second", // the file's order within the second
		"-- life 2", "scopes: api.z (new)",
		"a type this version does not know: it changes nothing here",
		"scopes: removed api.z", "name: null (before: not in the log since it was created on 2026-09-21)",
		"state after: scopes=[]; name=null",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the text lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runCLI(t, context.Background(), "history", "--file", path, "key_e", "--format", "jsonl")
	oldest := slices.Clone(lines)
	slices.Reverse(oldest)
	if got := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n"); !slices.Equal(got, oldest) {
		t.Errorf("jsonl is not the records oldest first, byte for byte:\n%s", r.stdout)
	}
	r = runCLI(t, context.Background(), "history", "--file", path, "key_e", "--format", "json")
	var steps []struct {
		EventID string          `json:"event_id"`
		State   json.RawMessage `json:"state"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &steps); err != nil || len(steps) != 7 {
		t.Fatalf("json: %v, %d steps", err, len(steps))
	}
	var state bytes.Buffer
	if err := json.Compact(&state, steps[6].State); err != nil || steps[6].EventID != "k6" || state.String() != `{"scopes":[],"name":null}` {
		t.Errorf("the last step is %s with state %s", steps[6].EventID, steps[6].State)
	}
}
