package query_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/openai/fakeapi"
)

// hostilePieces are what a hostile record puts in a value: controls, a C1
// and a lone 0x9b byte, BiDi and invisible characters, the query's own
// quotes, backslashes and escapes, separators and look-alike spaces.
var hostilePieces = []string{
	"\x1b", "\x07", "\n", "\r", "\t", "\x00", "\x7f", "\u009b", "\x9b", "\xff", "\xc3",
	"\u202e", "\u2066", "\u200b", "\u200d", "\ufe0f", "\U000e0041", "\u00ad", "\u3164", "\ufffe", "\u0600",
	`"`, `\`, `\x41`, `\u202e`, `\\`, " ", "\u00a0", "\u3000", ":", "-", "*", "/", ",",
	"a", "Z", "é", "東", "👨", "e\u0301", "1",
}

func hostileValue(r *rand.Rand) string {
	var b strings.Builder
	for range 1 + r.IntN(8) {
		b.WriteString(hostilePieces[r.IntN(len(hostilePieces))])
	}
	return b.String()
}

// TestPivotOnHostileValues is the pivot's promise: for random hostile
// values, the query a pivot writes draws as itself (nothing in it for the
// terminal to act on), parses back to exactly that value and matches the
// event that holds it.
func TestPivotOnHostileValues(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for range 3000 {
		v := hostileValue(r)
		id := strings.ReplaceAll(v, "@", "")
		cases := []struct {
			key   query.Key
			value string
			raw   string
		}{
			{query.KeyActor, v + "@example.com", `"actor":{"type":"session","session":{"user":{"id":"u","email":` + fakeapi.JSONString(v+"@example.com") + `}}}`},
			{query.KeyActor, "user-" + id, `"actor":{"type":"session","session":{"user":{"id":` + fakeapi.JSONString("user-"+id) + `}}}`},
			{query.KeyProject, "proj_" + v, `"project":{"id":` + fakeapi.JSONString("proj_"+v) + `}`},
			{query.KeyProject, "P" + v, `"project":{"id":"proj_1","name":` + fakeapi.JSONString("P"+v) + `}`},
			{query.KeyResource, v, `"project.updated":{"id":` + fakeapi.JSONString(v) + `}`},
			{query.KeyText, v, `"project":{"id":"proj_1","name":` + fakeapi.JSONString(v) + `}`},
		}
		for _, c := range cases {
			e, err := model.DecodeEvent([]byte(`{"id":"audit_log-h","type":"project.updated","effective_at":1722461446,` + c.raw + `}`))
			if err != nil {
				t.Fatalf("decode %q: %v", c.raw, err)
			}
			text := query.NarrowTo("type:project.updated", testNow, c.key, c.value, false)
			if shown := sanitize.Display(text); shown != text {
				t.Fatalf("pivot on %s %q writes %q, which the terminal would be sent raw (drawn %q)", c.key, c.value, text, shown)
			}
			q, err := query.Parse(text, testNow)
			if err != nil {
				t.Fatalf("pivot on %s %q writes %q, which does not parse: %v", c.key, c.value, text, err)
			}
			if terms := q.Terms(); terms[len(terms)-1].Value != c.value {
				t.Fatalf("pivot on %s %q writes %q, which reads back as %q", c.key, c.value, text, terms[len(terms)-1].Value)
			}
			if !q.Match(&e) {
				t.Fatalf("pivot on %s %q writes %q, which does not match the event", c.key, c.value, text)
			}
			if again := query.NarrowTo(text, testNow, c.key, c.value, false); again != text {
				t.Fatalf("pivoting again on %s %q changes %q to %q", c.key, c.value, text, again)
			}
		}
	}
}
