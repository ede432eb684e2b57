package query

import (
	"slices"
	"testing"
	"time"
)

func TestComplete(t *testing.T) {
	seen := func(k Key) []string {
		switch k {
		case KeyActor:
			return []string{"alice.smith@example.com", "bob@example.com", "malice@corp.io", "alice@corp.io"}
		case KeyProject:
			return []string{"proj_abc", "Beta research"}
		case KeyIP:
			return []string{"198.51.100.7", "203.0.113.2"}
		case KeyCountry:
			return []string{"US", "DE"}
		}
		return nil
	}
	cases := []struct {
		text   string
		cursor int // -1: at the end
		want   []string
		from   int
	}{
		{"", -1, []string{"type:", "category:", "actor:", "project:", "resource:", "ip:", "country:", "since:", "until:"}, 0},
		{"ty", -1, []string{"type:"}, 0},
		{"-ac", -1, []string{"-actor:"}, 0},
		{"since:7d c", -1, []string{"category:", "country:"}, 9},
		{"type:login.f", -1, []string{"type:login.failed"}, 0},
		{"type:LOGOUT.", -1, []string{"type:logout.succeeded", "type:logout.failed"}, 0},
		{"actor:alice", -1, []string{"actor:alice.smith@example.com", "actor:alice@corp.io", "actor:malice@corp.io"}, 0},
		{"-actor:bob", -1, []string{"-actor:bob@example.com"}, 0},
		{"project:beta", -1, []string{`project:"Beta research"`}, 0},
		{"project:\"Beta", -1, []string{`project:"Beta research"`}, 0},
		{"ip:203", -1, []string{"ip:203.0.113.2"}, 0},
		{"country:", -1, []string{"country:US", "country:DE"}, 0},
		{"until:", -1, []string{"until:1h", "until:24h", "until:7d", "until:30d", "until:90d"}, 0},
		{"category:ip", -1, []string{`category:"ip allow-lists"`}, 0},
		{"actor:zed", -1, nil, 0},
		{"nosuch:x", -1, nil, 0},
		{"resource:key", -1, nil, 0}, // nothing seen
		// The cursor inside a word completes what is before it and replaces the word.
		{"ty login.failed", 2, []string{"type:"}, 0},
	}
	for _, c := range cases {
		cursor := c.cursor
		if cursor < 0 {
			cursor = len(c.text)
		}
		got := Complete(c.text, cursor, seen)
		if !slices.Equal(got.Candidates, c.want) || len(c.want) > 0 && got.From != c.from {
			t.Errorf("Complete(%q, %d) = %q from %d, want %q from %d", c.text, cursor, got.Candidates, got.From, c.want, c.from)
		}
		for i := range got.Candidates {
			// Every value candidate is a term that parses back to itself.
			text, _ := got.Apply(c.text, i)
			if q, err := Parse(got.Candidates[i], time.Unix(1.7e9, 0)); got.Candidates[i][len(got.Candidates[i])-1] != ':' && (err != nil || q.String() != got.Candidates[i]) {
				t.Errorf("candidate %q (in %q) does not parse back: %v", got.Candidates[i], text, err)
			}
		}
	}
}

func TestCompletionApply(t *testing.T) {
	text := "since:7d type:log -country:US"
	c := Complete(text, len("since:7d type:log"), nil)
	if len(c.Candidates) < 2 {
		t.Fatalf("type:log offers %q", c.Candidates)
	}
	got, cursor := c.Apply(text, 1)
	want := "since:7d " + c.Candidates[1] + " -country:US"
	if got != want || cursor != len("since:7d "+c.Candidates[1]) {
		t.Fatalf("Apply = %q, cursor %d; want %q", got, cursor, want)
	}
	if same, _ := c.Apply(text, 99); same != text {
		t.Fatalf("an index out of range changed the text to %q", same)
	}
}
