package query_test

import (
	"errors"
	"testing"

	"github.com/auditui/auditui/model/query"
)

// FuzzParse: Parse never panics, errors are *SyntaxError with a span inside
// the input, and a parsed query's canonical form parses back to an equal
// query whose plan selects the same events as the query.
// Seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	events := synthOrg(f, 60, 3)
	f.Fuzz(func(t *testing.T, s string) {
		q, err := query.Parse(s, testNow)
		if err != nil {
			var se *query.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %v is not a *SyntaxError", s, err)
			}
			if se.Pos < 0 || se.Len < 0 || se.Pos+se.Len > len(s) || se.Msg == "" {
				t.Fatalf("Parse(%q) error span {%d, %d} outside the input or no message", s, se.Pos, se.Len)
			}
			_ = se.Pointer(s)
			return
		}
		canon := q.String()
		again, err := query.Parse(canon, testNow)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, canon, err)
		}
		if !again.Equal(q) || again.String() != canon {
			t.Fatalf("Parse(%q).String() = %q parses to a different query %q", s, canon, again.String())
		}
		for _, term := range q.Terms() {
			if term.Pos < 0 || term.Pos+term.Len > len(s) || term.Len == 0 {
				t.Fatalf("Parse(%q) term %+v has a span outside the input", s, term)
			}
		}
		p := query.Compile(q, testNow)
		if len(p.Terms) != len(q.Terms()) {
			t.Fatalf("Compile(%q) placed %d of %d terms", s, len(p.Terms), len(q.Terms()))
		}
		for i := range events {
			if q.Match(&events[i]) != p.Match(&events[i]) {
				t.Fatalf("query %q and its plan %+v disagree on %s", s, p.Server, events[i].ID)
			}
		}
	})
}
