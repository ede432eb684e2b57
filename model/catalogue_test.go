package model

import (
	"slices"
	"strings"
	"testing"
)

// That the catalogue covers the SDK's enum is checked in package openai
// (TestCatalogueHasEveryTypeTheSDKKnows), the one package that may know the
// SDK; here the count pins the catalogue to the same 149 types.

func TestCatalogueEntries(t *testing.T) {
	categories := []string{"API keys", "Sign-in", "Invites", "Organization", "Projects", "Users", "Roles",
		"Groups", "Service accounts", "Certificates", "IP allow-lists", "Rate limits", "SCIM",
		"Workload identity", "Tenant", "External keys", "External storage", "Fine-tuning", "Resources", "Tunnels"}
	types := EventTypes()
	if len(types) != 149 {
		t.Errorf("catalogue has %d types, want the SDK's 149", len(types))
	}
	seen := map[string]bool{}
	descriptions := map[string]string{}
	for _, et := range types {
		if seen[et.Name] {
			t.Errorf("%s is catalogued twice", et.Name)
		}
		seen[et.Name] = true
		if !slices.Contains(categories, et.Category) {
			t.Errorf("%s has category %q, not one of %v", et.Name, et.Category, categories)
		}
		if strings.HasPrefix(et.Name, "tenant.") != (et.Category == "Tenant") {
			t.Errorf("%s: category %q disagrees with its tenant. prefix", et.Name, et.Category)
		}
		d := et.Description
		// The placeholder was the name with dots and underscores as spaces.
		placeholder := strings.NewReplacer(".", " ", "_", " ").Replace(strings.TrimPrefix(et.Name, "tenant."))
		switch {
		case d == "":
			t.Errorf("%s has no description", et.Name)
		case strings.EqualFold(strings.TrimPrefix(d, "Tenant: "), placeholder) || strings.HasPrefix(d, "Tenant: "):
			t.Errorf("%s still has the placeholder description %q", et.Name, d)
		case !strings.Contains(d, " was ") && !strings.Contains(d, " were ") && !strings.Contains(d, " signed ") && !strings.HasSuffix(d, " failed"):
			t.Errorf("%s: description %q does not say what happened", et.Name, d)
		case strings.HasSuffix(d, "."), d[0] < 'A' || d[0] > 'Z':
			t.Errorf("%s: description %q should be a capitalised sentence without a full stop", et.Name, d)
		case len(d) > 70:
			t.Errorf("%s: description %q is longer than a short line", et.Name, d)
		}
		if other, dup := descriptions[d]; dup {
			t.Errorf("%s and %s share the description %q", other, et.Name, d)
		}
		descriptions[d] = et.Name
	}
}

func TestCatalogueDescriptions(t *testing.T) {
	// A few spot checks that the words fit the type.
	for name, want := range map[string]string{
		"api_key.created":        "An API key was created",
		"login.failed":           "A sign-in attempt failed",
		"invite.sent":            "An invitation to join the organization was sent",
		"rate_limit.updated":     "A project's rate limits for a model were changed",
		"tenant.user.added":      "A user was added to the tenant",
		"scim.disabled":          "SCIM user provisioning was turned off",
		"certificates.activated": "Certificates were activated",
	} {
		if got, _ := LookupType(name); got.Description != want {
			t.Errorf("%s: description %q, want %q", name, got.Description, want)
		}
	}
}

func TestLookupTypeUnknown(t *testing.T) {
	et, ok := LookupType("widget.frobbed")
	if ok || et.Name != "widget.frobbed" || et.Category != CategoryOther || et.Description == "" {
		t.Errorf("LookupType(unknown) = %+v, %v; want category Other with a description", et, ok)
	}
	if got, ok := LookupType("external_storage.registered"); !ok || got.Category != "External storage" {
		t.Errorf("LookupType(external_storage.registered) = %+v, %v", got, ok)
	}
}

func TestEventTypesIsACopy(t *testing.T) {
	a := EventTypes()
	a[0].Name = "mutated"
	if EventTypes()[0].Name == "mutated" {
		t.Error("EventTypes exposes the catalogue for mutation")
	}
}

func TestExpandTypes(t *testing.T) {
	var tenant, deleted []string
	for _, et := range EventTypes() {
		if strings.HasPrefix(et.Name, "tenant.") {
			tenant = append(tenant, et.Name)
		}
		if strings.HasSuffix(et.Name, ".deleted") {
			deleted = append(deleted, et.Name)
		}
	}
	cases := []struct {
		name     string
		patterns []string
		want     []string
	}{
		{"api keys", []string{"api_key.*"}, []string{"api_key.created", "api_key.updated", "api_key.deleted"}},
		{"sign-in", []string{"login.*"}, []string{"login.succeeded", "login.failed"}},
		{"star crosses dots", []string{"tenant.*"}, tenant},
		{"suffix", []string{"*.deleted"}, deleted},
		{"question mark is one character", []string{"log??t.failed"}, []string{"logout.failed"}},
		{"star in the middle", []string{"ip_allowlist.*activated"}, []string{"ip_allowlist.config.activated", "ip_allowlist.config.deactivated"}},
		{"unknown plain type passes through", []string{"widget.frobbed"}, []string{"widget.frobbed"}},
		{"duplicates collapse, order kept", []string{"login.failed", "login.*", " login.failed "}, []string{"login.failed", "login.succeeded"}},
		{"blank patterns are ignored", []string{"", "  "}, nil},
		{"character class", []string{"log[io]*.failed"}, []string{"login.failed", "logout.failed"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ExpandTypes(c.patterns)
			if err != nil {
				t.Fatalf("ExpandTypes(%q): %v", c.patterns, err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("ExpandTypes(%q) = %q, want %q", c.patterns, got, c.want)
			}
		})
	}
	if len(tenant) != 88 {
		t.Errorf("tenant.* expanded to %d types, want 88", len(tenant))
	}
}

func TestExpandTypesNoMatch(t *testing.T) {
	for _, p := range []string{"nothing.*", "api_key.?", "*.frobbed"} {
		got, err := ExpandTypes([]string{"login.failed", p})
		if err == nil {
			t.Errorf("ExpandTypes(%q) = %q, want an error", p, got)
			continue
		}
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not name the pattern %q", err, p)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		pattern, name string
		want          bool
	}{
		{"*", "", true},
		{"*", "tenant.user.added", true},
		{"", "", true},
		{"", "a", false},
		{"a", "", false},
		{"?", "", false},
		{"?", "é", true}, // one character, not one byte
		{"a*", "a.b.c", true},
		{"*c", "a.b.c", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"*.*.*", "a.b", false},
		{"*.*.*", "a.b.c", true},
		{"a**", "a", true},
		{"*a*a*a*a*b", strings.Repeat("a", 40), false}, // backtracking stays linear-ish
		{"login.*", "logout.succeeded", false},
		{"login.*", "login.", true},
		{"?ogin.*", "login.failed", true},
		{"api_key.*d", "api_key.created", true},
		{"api_key.*d", "api_key.creates", false},
	}
	for _, c := range cases {
		if got := globMatch(c.pattern, c.name); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

// The command line and the filter box must agree on what a glob matches.
func TestGlobSameOnCommandLineAndFilterBox(t *testing.T) {
	for _, p := range []string{"*.deleted", "api_key.*", "tenant.*.updated", "log[io]*.failed", "?ogin.*"} {
		expanded, err := ExpandTypes([]string{p})
		if err != nil {
			t.Fatal(err)
		}
		m := CompileMatcher(p)
		var boxed []string
		for _, et := range EventTypes() {
			if m.Match(&Event{Type: et.Name}) {
				boxed = append(boxed, et.Name)
			}
		}
		if !slices.Equal(expanded, boxed) {
			t.Errorf("%s: command line %v, filter box %v", p, expanded, boxed)
		}
	}
	if _, err := ExpandTypes([]string{"api_key.["}); err == nil {
		t.Error("an unclosed [ was accepted")
	}
}
