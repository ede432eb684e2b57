package main

import (
	"context"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/model/views"
	"github.com/auditui/auditui/openai"
)

// matching evaluates text over every event the API lists for it: what
// export -q must write. Tenant-scoped events are listed only for a query
// naming their types.
func matching(t *testing.T, text string, events []model.Event) []model.Event {
	t.Helper()
	q, err := query.Parse(text, orgNow)
	if err != nil {
		t.Fatal(err)
	}
	server := query.Compile(q, orgNow).Server
	var out []model.Event
	for i := range events {
		e := &events[i]
		if q.Match(e) && (!model.IsTenantType(e.Type) || server.TenantOnly || slices.Contains(server.Types, e.Type)) {
			out = append(out, events[i])
		}
	}
	return out
}

// firstEmail is the email of the first event of type typ that has one.
func firstEmail(t *testing.T, events []model.Event, typ string) string {
	t.Helper()
	for i := range events {
		if events[i].Type == typ && events[i].Actor.Email() != "" {
			return events[i].Actor.Email()
		}
	}
	t.Fatalf("no %s event with an email", typ)
	return ""
}

func TestExportQueryIsTheLocalEvaluation(t *testing.T) {
	fake, events := fakeAPI(t, 3000)
	alice := firstEmail(t, events, "login.failed")
	for _, text := range []string{
		"type:login.failed -country:US",
		"type:api_key.* -type:api_key.updated",
		"category:roles since:2026-10-15",
		"type:role.* type:tenant.user.*",
		"actor:" + alice,
		"-type:login.* ip:192.0.2.0/24",
		"ip:2001:db8::/32 -category:projects",
		`type:login.failed "password"`,
		`project:"Beta research" OR`,
	} {
		t.Run(text, func(t *testing.T) {
			before := len(fake.Requests())
			r := runCLI(t, context.Background(), "export", "-q", text)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			want := matching(t, text, events)
			if len(want) == 0 {
				t.Fatal("the organisation has no event the query matches: pick another query")
			}
			if r.stdout != jsonLines(want) {
				t.Fatalf("got %d lines, want the %d events the query matches, newest first", strings.Count(r.stdout, "\n"), len(want))
			}
			if len(fake.Requests()) == before {
				t.Fatal("no request reached the API")
			}
		})
	}
}

// wire is the parameters of the first request after the first `before`.
func wire(t *testing.T, reqs []url.Values, before int) url.Values {
	t.Helper()
	if len(reqs) <= before {
		t.Fatal("no request reached the API")
	}
	q := reqs[before]
	q.Del("after")
	return q
}

func TestQueryPushdownOnTheWire(t *testing.T) {
	fake, events := fakeAPI(t, 400)
	requests := func() []url.Values {
		var out []url.Values
		for _, r := range fake.Requests() {
			out = append(out, r.Query)
		}
		return out
	}
	for _, c := range []struct {
		args []string
		want url.Values
	}{{
		args: []string{"-q", `type:login.failed -country:US actor:alice@example.com since:2026-10-01 -project:proj_1 "wrong password"`},
		want: url.Values{"event_types[]": {"login.failed"}, "actor_emails[]": {"alice@example.com"}, "effective_at[gte]": {"1790812800"}, "limit": {"100"}},
	}, {
		// Negations, IPs, countries, project names and free text stay local.
		args: []string{"-q", `-type:login.failed ip:10.0.0.0/8 country:DE project:"Beta research" hello`},
		want: url.Values{"limit": {"100"}},
	}, {
		// The flags are terms of the same query: --type ORs with type:, --project ANDs.
		args: []string{"-q", "type:api_key.created", "--type", "api_key.deleted", "--project", "proj_9", "--resource", "key_1", "--until", "1793491200", "--page-size", "20"},
		want: url.Values{"event_types[]": {"api_key.created", "api_key.deleted"}, "project_ids[]": {"proj_9"}, "resource_ids[]": {"key_1"}, "effective_at[lt]": {"1793491200"}, "limit": {"20"}},
	}, {
		// An email or an id is an OR the API cannot express (it ANDs the two lists).
		args: []string{"--actor", "alice@example.com", "--actor", "user-abc"},
		want: url.Values{"limit": {"100"}},
	}, {
		args: []string{"-q", "actor:user-abc actor:key_123"},
		want: url.Values{"actor_ids[]": {"user-abc", "key_123"}, "limit": {"100"}},
	}, {
		// Tenant-scoped types are asked for with tenant_only, as is --tenant-only.
		args: []string{"-q", "type:role.bound_to_resource"},
		want: url.Values{"event_types[]": {"role.bound_to_resource"}, "tenant_only": {"true"}, "limit": {"100"}},
	}, {
		args: []string{"--tenant-only", "-q", "-type:login.*"},
		want: url.Values{"tenant_only": {"true"}, "limit": {"100"}},
	}} {
		before := len(fake.Requests())
		r := runCLI(t, context.Background(), append([]string{"export"}, c.args...)...)
		if r.code != 0 {
			t.Errorf("%q: exit %d: %s", c.args, r.code, r.stderr)
			continue
		}
		if got := wire(t, requests(), before); !maps.EqualFunc(got, c.want, slices.Equal[[]string]) {
			t.Errorf("%q sent %v, want %v", c.args, got, c.want)
		}
	}
	// The mixed actors are evaluated locally as an OR.
	alice := firstEmail(t, events, "login.failed")
	r := runCLI(t, context.Background(), "export", "--actor", alice, "--actor", "user-abc")
	if want := matching(t, "actor:"+alice+" actor:user-abc", events); r.code != 0 || len(want) == 0 || r.stdout != jsonLines(want) {
		t.Fatalf("exit %d: %d lines, want %d", r.code, strings.Count(r.stdout, "\n"), len(want))
	}
}

func TestBadQueryPointsAtTheFault(t *testing.T) {
	t.Setenv(openai.EnvAdminKey, "")
	for _, c := range []struct {
		args   []string
		carets string // the caret line as printed, after the two-space indent
		msg    string
	}{
		{[]string{"export", "-q", "type:login.failed tpye:api_key.*"}, "                  ^^^^", `unknown key "tpye"`},
		{[]string{"export", "-q", `actor:"alice`}, "      ^^^^^^", "unclosed quote"},
		{[]string{"export", "-q", "ip:10.0.0.0/33 since:7d"}, "   ^^^^^^^^^^^", "not an IP address or CIDR"},
		{[]string{"-q", "since:yesterdayish"}, "      ^^^^^^^^^^^^", "since:"},
		{[]string{"export", "--demo", "-q", "type:nothing.like.this.*"}, "     ^^^^^^^^^^^^^^^^^^^", "type:"},
	} {
		r := runCLI(t, context.Background(), c.args...)
		lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
		if r.code != exitUsage || r.stdout != "" || r.browsed != nil || len(lines) != 3 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and three lines", c.args, r.code, r.stdout, r.stderr)
			continue
		}
		text := c.args[len(c.args)-1]
		if !strings.HasPrefix(lines[0], "auditui: query column ") || !strings.Contains(lines[0], c.msg) || !strings.Contains(lines[0], "--help") {
			t.Errorf("%q: first line %q", c.args, lines[0])
		}
		if lines[1] != "  "+text || lines[2] != "  "+c.carets {
			t.Errorf("%q: pointer\n%s\n%s\nwant\n  %s\n  %s", c.args, lines[1], lines[2], text, c.carets)
		}
	}

	// A flag that makes no valid term names the flag on one line.
	r := runCLI(t, context.Background(), "export", "-q", "since:2026-10-01", "--until", "2026-09-01")
	if r.code != exitUsage || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "--until") {
		t.Fatalf("exit %d: %q", r.code, r.stderr)
	}
}

func TestDemoExportQuery(t *testing.T) {
	t.Setenv(openai.EnvAdminKey, "")
	const text = "type:login.failed -country:US"
	r := runCLI(t, context.Background(), "export", "--demo", "-q", text)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	all := runCLI(t, context.Background(), "export", "--demo")
	if all.code != 0 {
		t.Fatalf("exit %d: %s", all.code, all.stderr)
	}
	path := filepath.Join(t.TempDir(), "demo.jsonl")
	if err := os.WriteFile(path, []byte(all.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	events, skipped, err := model.ReadEvents(strings.NewReader(all.stdout))
	if err != nil || len(skipped) > 0 {
		t.Fatalf("read the full demo export: %v, %d skipped", err, len(skipped))
	}
	// The demo's clock moved between the runs: compare what the query looks at.
	key := func(e model.Event) string {
		return e.Type + " " + e.Actor.Label() + " " + e.Actor.IP() + " " + e.Actor.Country()
	}
	var want []string
	for _, e := range matching(t, text, events) {
		want = append(want, key(e))
	}
	got, skipped, err := model.ReadEvents(strings.NewReader(r.stdout))
	if err != nil || len(skipped) > 0 {
		t.Fatalf("read the query's export: %v, %d skipped", err, len(skipped))
	}
	var keys []string
	for _, e := range got {
		if e.Type != "login.failed" || e.Actor.Country() == "US" {
			t.Fatalf("export -q %q wrote %s from %s", text, e.Type, e.Actor.Country())
		}
		keys = append(keys, key(e))
	}
	if len(want) == 0 || !slices.Equal(keys, want) {
		t.Fatalf("export -q wrote %d events, the whole demo filtered here has %d", len(keys), len(want))
	}

	// The same query over the saved file gives the same events.
	f := runCLI(t, context.Background(), "export", "--file", path, "-q", text)
	if f.code != 0 || f.stdout != jsonLines(matching(t, text, events)) {
		t.Fatalf("--file -q: exit %d (%s)", f.code, f.stderr)
	}
}

func TestBrowserGetsTheQueryTextAndViews(t *testing.T) {
	fakeAPI(t, 10)
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	path := filepath.Join(config, "auditui", views.FileName)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	file := "[[view]]\nname = \"DE sign-ins\"\nquery = \"type:login.* country:DE\"\n[[view]]\nname = \"typo\"\nquery = \"tpye:x\"\n"
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, context.Background(), "-q", "type:login.failed -country:US", "--actor", "alice@example.com")
	if r.code != 0 || r.browsed == nil {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	o := r.browsed
	if o.QueryText != "type:login.failed -country:US actor:alice@example.com" {
		t.Fatalf("query text %q", o.QueryText)
	}
	if !slices.Equal(o.Query.Filter.Types, []string{"login.failed"}) || !slices.Equal(o.Query.Filter.ActorEmails, []string{"alice@example.com"}) {
		t.Fatalf("server filter %+v", o.Query.Filter)
	}
	n := len(views.Builtin())
	if len(o.Views) != n+1 || o.Views[n].Name != "DE sign-ins" || o.ViewsPath != path {
		t.Fatalf("views %+v from %s", o.Views, o.ViewsPath)
	}
	if !strings.Contains(o.ViewsErr, `view "typo"`) || strings.Contains(o.ViewsErr, "\n") {
		t.Fatalf("views error %q", o.ViewsErr)
	}
}
