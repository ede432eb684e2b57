package query

import (
	"testing"
	"time"

	"github.com/auditui/auditui/model/sanitize"
)

func TestNarrowTo(t *testing.T) {
	anchor := time.Date(2024, 7, 12, 18, 0, 0, 0, time.UTC)
	cases := []struct {
		name, text string
		key        Key
		value      string
		negated    bool
		want       string
	}{
		{"adds to other keys", "ip:203.0.113.7", KeyActor, "alice@example.com", false, "ip:203.0.113.7 actor:alice@example.com"},
		{"replaces the positive terms of its key", "actor:bob@example.com type:login.*", KeyActor, "alice@example.com", false, "type:login.* actor:alice@example.com"},
		{"keeps the negated terms of its key", "actor:bob@example.com -actor:carol@example.com", KeyActor, "alice@example.com", false, "-actor:carol@example.com actor:alice@example.com"},
		{"a negation joins the others", "type:login.* ip:10.0.0.0/8", KeyIP, "10.0.0.1", true, "type:login.* ip:10.0.0.0/8 -ip:10.0.0.1"},
		{"the same negation is not repeated", "-ip:10.0.0.1", KeyIP, "10.0.0.1", true, "-ip:10.0.0.1"},
		{"a value the key cannot take is text", "type:login.*", KeyIP, "not-an-ip", true, "type:login.* -not-an-ip"},
		{"text that does not parse is kept whole", "nokey:x", KeyType, "login.failed", false, "nokey:x type:login.failed"},
		{"from nothing", "", KeyType, "login.failed", false, "type:login.failed"},
	}
	for _, c := range cases {
		if got := NarrowTo(c.text, anchor, c.key, c.value, c.negated); got != c.want {
			t.Errorf("%s: NarrowTo(%q, %s, %q, %v) = %q, want %q", c.name, c.text, c.key, c.value, c.negated, got, c.want)
		}
	}
}

func TestZoomReplacesTheTimeRange(t *testing.T) {
	anchor := time.Date(2024, 7, 12, 18, 0, 0, 0, time.UTC)
	from, to := anchor.Add(-time.Hour), anchor
	cases := []struct{ text, want string }{
		{"", "since:2024-07-12T17:00:00Z until:2024-07-12T18:00:00Z"},
		{"ip:203.0.113.7 since:7d", "ip:203.0.113.7 since:2024-07-12T17:00:00Z until:2024-07-12T18:00:00Z"},
		{"since:30d until:1d type:login.*", "type:login.* since:2024-07-12T17:00:00Z until:2024-07-12T18:00:00Z"},
	}
	for _, c := range cases {
		if got := Zoom(c.text, anchor, from, to); got != c.want {
			t.Errorf("Zoom(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	if got := Zoom("", anchor, time.Unix(-1e11, 0), time.Unix(1e12, 0)); got != "since:-100000000000 until:1000000000000" {
		t.Errorf("outside years 0000-9999 the bounds are Unix seconds, got %q", got)
	}
}

func TestEditTermsDropsWhatIsAskedAndAdds(t *testing.T) {
	anchor := time.Date(2024, 7, 12, 18, 0, 0, 0, time.UTC)
	got := EditTerms(`type:login.*  "two words"  -country:US`, anchor, func(t Term) bool { return t.Key == KeyCountry }, "country:DE")
	if want := `type:login.* "two words" country:DE`; got != want {
		t.Fatalf("EditTerms = %q, want %q", got, want)
	}
}

// TestEditTermsKeepsValuesWhole: a quoted value with two spaces or a
// no-break space is not split and rejoined with one.
func TestEditTermsKeepsValuesWhole(t *testing.T) {
	anchor := time.Date(2024, 7, 12, 18, 0, 0, 0, time.UTC)
	text := "project:\"a  b\" actor:\"c\u00a0d\"\ttype:x"
	got := EditTerms(text, anchor, func(t Term) bool { return t.Key == KeyType }, "country:DE")
	if want := "project:\"a  b\" actor:\"c\u00a0d\" country:DE"; got != want {
		t.Fatalf("EditTerms = %q, want %q", got, want)
	}
}

// TestPrintable: a query with raw controls (from the command line or a
// saved view) becomes text that draws as itself and means the same.
func TestPrintable(t *testing.T) {
	anchor := time.Date(2024, 7, 12, 18, 0, 0, 0, time.UTC)
	for _, text := range []string{
		"actor:\"a\tb\x1b\"\n x\u202e -\"\u0085\"",
		"project:\"\x9b\\\x1b\" \U000e0041",
		"plain type:login.*",
	} {
		got := Printable(text, anchor)
		want, _ := Parse(text, anchor)
		q, err := Parse(got, anchor)
		if err != nil || !q.Equal(want) || sanitize.Display(got) != got {
			t.Errorf("Printable(%q) = %q (%v), want the same query drawn as itself", text, got, err)
		}
	}
	if got := Printable("\"unclosed \x1b\n", anchor); got != `"unclosed \x1b ` {
		t.Errorf("Printable of a broken query = %q", got)
	}
}
