package query_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/auditui/auditui/model/query"
)

func TestParseTerms(t *testing.T) {
	type term struct {
		key     query.Key
		value   string
		negated bool
		pos     int
		len     int
	}
	tests := []struct {
		in    string
		terms []term
		canon string
	}{
		{"", nil, ""},
		{"   \t ", nil, ""},
		{"type:login.failed", []term{{query.KeyType, "login.failed", false, 0, 17}}, "type:login.failed"},
		{"  TYPE:api_key.*   -Actor:bot@example.com ", []term{
			{query.KeyType, "api_key.*", false, 2, 14},
			{query.KeyActor, "bot@example.com", true, 19, 22},
		}, "type:api_key.* -actor:bot@example.com"},
		{`project:"Beta research"`, []term{{query.KeyProject, "Beta research", false, 0, 23}}, `project:"Beta research"`},
		{`category:"ip allow-lists"`, []term{{query.KeyCategory, "ip allow-lists", false, 0, 25}}, `category:"ip allow-lists"`},
		{`"say \"hi\" \\ now"`, []term{{query.KeyText, `say "hi" \ now`, false, 0, 19}}, `"say \"hi\" \\ now"`},
		{`-"not this"`, []term{{query.KeyText, "not this", true, 0, 11}}, `-"not this"`},
		{`back\slash`, []term{{query.KeyText, `back\slash`, false, 0, 10}}, `"back\\slash"`},
		{`actor:a\x1bb`, []term{{query.KeyActor, "a\x1bb", false, 0, 12}}, `actor:"a\x1bb"`},
		{`"x\u202ey\U000e0041\u009b\x9b"`, []term{{query.KeyText, "x\u202ey\U000e0041\u009b\x9b", false, 0, 30}}, `"x\u202ey\U000e0041\u009b\x9b"`},
		{`"\xZZ\ud800\u12"`, []term{{query.KeyText, `\xZZ\ud800\u12`, false, 0, 16}}, `"\\xZZ\\ud800\\u12"`},
		{`"a\\x41"`, []term{{query.KeyText, `a\x41`, false, 0, 8}}, `"a\\x41"`},
		{`"a:b"`, []term{{query.KeyText, "a:b", false, 0, 5}}, `"a:b"`},
		{`"-dash"`, []term{{query.KeyText, "-dash", false, 0, 7}}, `"-dash"`},
		{`--dash`, []term{{query.KeyText, "-dash", true, 0, 6}}, `-"-dash"`},
		{"ip:2001:db8::/32 ip:198.51.100.7", []term{
			{query.KeyIP, "2001:db8::/32", false, 0, 16},
			{query.KeyIP, "198.51.100.7", false, 17, 15},
		}, "ip:2001:db8::/32 ip:198.51.100.7"},
		{"type:-weird", []term{{query.KeyType, "-weird", false, 0, 11}}, "type:-weird"},
		{`resource:"key_ab"`, []term{{query.KeyResource, "key_ab", false, 0, 17}}, "resource:key_ab"},
		{"since:2026-01-01 until:7d country:us", []term{
			{query.KeySince, "2026-01-01", false, 0, 16},
			{query.KeyUntil, "7d", false, 17, 8},
			{query.KeyCountry, "us", false, 26, 10},
		}, "since:2026-01-01 until:7d country:us"},
		{"名前 é", []term{{query.KeyText, "名前", false, 0, 6}, {query.KeyText, "é", false, 7, 2}}, "名前 é"},
	}
	for _, tt := range tests {
		q, err := query.Parse(tt.in, testNow)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		var got []term
		for _, x := range q.Terms() {
			got = append(got, term{x.Key, x.Value, x.Negated, x.Pos, x.Len})
		}
		if len(got) != len(tt.terms) {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.terms)
			continue
		}
		for i := range got {
			if got[i] != tt.terms[i] {
				t.Errorf("Parse(%q) term %d = %+v, want %+v", tt.in, i, got[i], tt.terms[i])
			}
			if x := q.Terms()[i]; tt.in[x.Pos:x.Pos+x.Len] == "" {
				t.Errorf("Parse(%q) term %d has an empty span", tt.in, i)
			}
		}
		if s := q.String(); s != tt.canon {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, s, tt.canon)
		}
		if q.IsZero() != (len(tt.terms) == 0) {
			t.Errorf("Parse(%q).IsZero() = %v", tt.in, q.IsZero())
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in       string
		pos, len int
		msg      string // a fragment the message must contain
	}{
		{"tpye:login.failed", 0, 4, `unknown key "tpye"`},
		{"type:x -Foo:bar", 8, 3, `unknown key "Foo"`},
		{":bar", 0, 1, `":" must follow a key`},
		{"type:", 0, 5, "type: needs a value"},
		{`actor:""`, 0, 8, "actor: needs a value"},
		{`""`, 0, 2, "empty quotes"},
		{"- type:x", 0, 1, `"-" must be followed`},
		{"type:x -", 7, 1, `"-" must be followed`},
		{`project:"Beta research`, 8, 14, "unclosed quote"},
		{`"abc\"`, 0, 6, "unclosed quote"},
		{`"a"b`, 3, 1, "after the closing quote"},
		{`ab"c d"`, 2, 1, "quote inside a word"},
		{`actor:a"b`, 7, 1, "quote inside a value"},
		{"since:yesterday", 6, 9, `"yesterday" is not a time`},
		{"until:-1000000000001", 6, 14, "out of range"},
		{"ip:198.51.100.0/33", 3, 15, "not an IP address or CIDR"},
		{"ip:300.1.2.3", 3, 9, "not an IP address or CIDR"},
		{"country:USA", 8, 3, "two-letter ISO country code"},
		{"category:nonsense", 9, 8, `unknown category "nonsense": use one of "api keys", `},
		{"type:nothing.*", 5, 9, `no known event type matches "nothing.*"`},
		{"type:*nothing?", 5, 9, "no known event type matches"},
		{"since:2026-02-01 until:2026-01-01", 17, 16, "the time range is empty"},
		{"until:2026-01-01 since:2026-01-01", 17, 16, "the time range is empty"},
		{"since:24h until:48h", 10, 9, "the time range is empty"},
		{"-until:2026-02-01 -since:2026-01-01", 18, 17, "the time range is empty"},
	}
	for _, tt := range tests {
		_, err := query.Parse(tt.in, testNow)
		var se *query.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want a *SyntaxError", tt.in, err)
			continue
		}
		if se.Pos != tt.pos || se.Len != tt.len || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Parse(%q) = {Pos %d, Len %d, %q}, want {Pos %d, Len %d, ...%q...}", tt.in, se.Pos, se.Len, se.Msg, tt.pos, tt.len, tt.msg)
		}
		if !strings.Contains(se.Error(), se.Msg) || !strings.HasPrefix(se.Error(), "query column ") {
			t.Errorf("Parse(%q).Error() = %q", tt.in, se.Error())
		}
	}
}

func TestSyntaxErrorPointer(t *testing.T) {
	in := "type:x é tpye:y"
	_, err := query.Parse(in, testNow)
	var se *query.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Parse(%q) error = %v", in, err)
	}
	want := "type:x é tpye:y\n         ^^^^"
	if got := se.Pointer(in); got != want {
		t.Errorf("Pointer =\n%s\nwant\n%s", got, want)
	}
	if got := se.Error(); !strings.HasPrefix(got, "query column 10: ") {
		t.Errorf("Error() = %q, want the column counted in characters (10)", got)
	}
	// Control characters must not reach the terminal, and the carets stay aligned.
	in = "\x1b[31m tpye:y"
	_, err = query.Parse(in, testNow)
	if !errors.As(err, &se) {
		t.Fatalf("Parse(%q) error = %v", in, err)
	}
	if got := se.Pointer(in); strings.ContainsRune(got, 0x1b) || !strings.HasSuffix(got, "\n      ^^^^") {
		t.Errorf("Pointer = %q", got)
	}
	// An error at the very end points past the last character.
	in = "type:x -"
	_, err = query.Parse(in+" ", testNow)
	if !errors.As(err, &se) || se.Pointer(in) != "type:x -\n       ^" {
		t.Errorf("Pointer at the end = %q (%v)", se.Pointer(in), err)
	}
}

func TestFormatTermRoundTrips(t *testing.T) {
	values := []string{"plain", "two words", `quo"te`, `back\slash`, `"leading`, "-dash", "a:b", "tab\there", "名前", "trailing\\",
		"\x1b[201~\ntouch pwned\n", "evil\u202etxt", "a\x9bb", "\u009b2J", `\x41`, "nb\u00a0sp", "al\u00adice\U000e0041", "👨\u200d👩"}
	for _, key := range append([]query.Key{query.KeyText, query.KeyActor, query.KeyResource}, query.KeyProject) {
		for _, v := range values {
			for _, neg := range []bool{false, true} {
				s := query.FormatTerm(key, v, neg)
				q, err := query.Parse(s, testNow)
				if err != nil {
					t.Errorf("FormatTerm(%q, %q, %v) = %q does not parse: %v", key, v, neg, s, err)
					continue
				}
				terms := q.Terms()
				if len(terms) != 1 || terms[0].Key != key || terms[0].Value != v || terms[0].Negated != neg {
					t.Errorf("FormatTerm(%q, %q, %v) = %q parses to %+v", key, v, neg, s, terms)
				}
			}
		}
	}
}

func TestEqual(t *testing.T) {
	a, _ := query.Parse(`type:login.failed  "x y"`, testNow)
	b, _ := query.Parse(`TYPE:"login.failed" "x y"`, testNow)
	c, _ := query.Parse(`type:login.failed -"x y"`, testNow)
	if !a.Equal(b) {
		t.Errorf("%q and %q should be equal", a, b)
	}
	if a.Equal(c) || a.Equal(query.Query{}) {
		t.Errorf("%q should differ from %q and from the empty query", a, c)
	}
}
