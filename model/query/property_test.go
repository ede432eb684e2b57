package query_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/openai/fakeapi"
	"github.com/tidwall/gjson"
)

// TestPushdownEquivalence is the central property: for random queries built
// from the values in a synthetic organisation, the events the server filter
// and the local predicate select together are exactly the events the whole
// query matches locally, and both agree with a reference evaluation written
// straight from the language's definition. It runs over the fake API's
// organisation (hostile records included) and over synthOrg, which adds the
// shapes the fake lacks (fractional times, IPv4-mapped and zoned addresses,
// upper-case emails, project names without ids).
func TestPushdownEquivalence(t *testing.T) {
	queries := 400
	if testing.Short() {
		queries = 100
	}
	t.Run("fakeapi.Org", func(t *testing.T) {
		events := fakeapi.Org(fakeapi.OrgOptions{Events: 5000, Seed: 1, Now: testNow, Hostile: true})
		checkEquivalence(t, events, queries, 42)
	})
	t.Run("edge cases", func(t *testing.T) {
		checkEquivalence(t, synthOrg(t, 5000, 1), queries, 43)
	})
}

func checkEquivalence(t *testing.T, events []model.Event, queries int, seed uint64) {
	r := rand.New(rand.NewPCG(seed, seed))
	var parsed, nonEmpty, partial, pushed, local int
	for n := 0; parsed < queries; n++ {
		if n > queries*5 {
			t.Fatalf("only %d of %d random queries parsed", parsed, n)
		}
		text := randomQuery(r, events)
		q, err := query.Parse(text, testNow)
		if err != nil {
			var se *query.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %v is not a *SyntaxError", text, err)
			}
			continue
		}
		parsed++
		again, err := query.Parse(q.String(), testNow)
		if err != nil || !again.Equal(q) {
			t.Fatalf("Parse(%q).String() = %q does not parse back to the same query: %v", text, q.String(), err)
		}
		plan := query.Compile(q, testNow)
		terms := q.Terms()
		matched := 0
		for i := range events {
			e := &events[i]
			want := refMatch(terms, e)
			if got := q.Match(e); got != want {
				t.Fatalf("query %q, event %s: Match = %v, reference says %v", text, e.ID, got, want)
			}
			// The server's side is the fake endpoint's own reading of the
			// spec, not the client's model.Filter.
			if got := fakeapi.Selects(plan.Server, e) && (plan.Local == nil || plan.Local(e)); got != want {
				t.Fatalf("query %q, event %s: the server given %+v and local give %v, the whole query %v", text, e.ID, plan.Server, got, want)
			}
			if want {
				matched++
			}
		}
		if matched > 0 && matched < len(events) {
			nonEmpty++
		}
		switch {
		case plan.Local == nil:
			pushed++
		case plan.Server.IsZero():
			local++
		default:
			partial++
		}
	}
	t.Logf("%d queries: %d select some but not all events; %d fully on the server, %d split, %d fully local",
		parsed, nonEmpty, pushed, partial, local)
	// The property says little unless the queries exercise every case.
	if nonEmpty < parsed/4 || pushed < parsed/20 || partial < parsed/5 || local < parsed/20 {
		t.Errorf("random queries too uniform: %d selective, %d server-only, %d split, %d local-only of %d", nonEmpty, pushed, partial, local, parsed)
	}
}

// randomQuery writes a query of one to five terms whose values are drawn
// from the events, so that most terms select something.
func randomQuery(r *rand.Rand, events []model.Event) string {
	keys := append([]query.Key{query.KeyText}, query.Keys...)
	n := 1 + r.IntN(5)
	var terms []string
	for range n {
		e := &events[r.IntN(len(events))]
		key := keys[r.IntN(len(keys))]
		// Repeat a key now and then: same key ORs.
		if len(terms) > 0 && r.IntN(3) == 0 {
			key = query.Key(strings.SplitN(strings.TrimPrefix(terms[r.IntN(len(terms))], "-"), ":", 2)[0])
			if !slices.Contains(query.Keys, key) {
				key = query.KeyText
			}
		}
		v := randomValue(r, key, e)
		if v == "" {
			continue
		}
		terms = append(terms, query.FormatTerm(key, v, r.IntN(4) == 0))
	}
	return strings.Join(terms, " ")
}

func randomValue(r *rand.Rand, key query.Key, e *model.Event) string {
	switch key {
	case query.KeyType:
		switch r.IntN(4) {
		case 0:
			return strings.SplitN(e.Type, ".", 2)[0] + ".*"
		case 1:
			return "*." + e.Type[strings.LastIndexByte(e.Type, '.')+1:]
		}
		return e.Type
	case query.KeyCategory:
		t, _ := model.LookupType(e.Type)
		if r.IntN(2) == 0 {
			return strings.ToLower(t.Category)
		}
		return t.Category
	case query.KeyActor:
		if ids := e.Actor.IDs(); len(ids) > 0 && r.IntN(2) == 0 {
			return ids[r.IntN(len(ids))]
		}
		if em := e.Actor.Email(); em != "" {
			if r.IntN(2) == 0 {
				return strings.ToUpper(em)
			}
			return em
		}
		return "nobody@example.com"
	case query.KeyProject:
		if r.IntN(2) == 0 && e.Project.Name != "" {
			return strings.ToLower(e.Project.Name)
		}
		if e.Project.ID != "" {
			return e.Project.ID
		}
		return "proj_missing"
	case query.KeyResource:
		if ids := e.ResourceIDs(); len(ids) > 0 {
			return ids[r.IntN(len(ids))]
		}
		return "res_1"
	case query.KeyIP:
		a, err := netip.ParseAddr(e.Actor.IP())
		if err != nil {
			return "198.51.100.0/24"
		}
		switch r.IntN(3) {
		case 0:
			return a.String()
		case 1:
			if a.Is4() {
				p, _ := a.Prefix(24)
				return p.String()
			}
			p, _ := a.Prefix(64)
			return p.String()
		}
		if a.Is4() {
			return fmt.Sprintf("%s/16", a)
		}
		return "2001:db8::/32"
	case query.KeyCountry:
		if c := e.Actor.Country(); len(c) == 2 {
			return strings.ToLower(c)
		}
		return "US"
	case query.KeySince, query.KeyUntil:
		at := e.EffectiveAt
		switch r.IntN(5) {
		case 0:
			return strconv.FormatInt(at.Unix(), 10)
		case 1:
			return at.Format("2006-01-02")
		case 2:
			return fmt.Sprintf("%dh", int(testNow.Sub(at).Hours()))
		case 3:
			return at.Add(250 * time.Millisecond).Format(time.RFC3339Nano)
		}
		return at.Format(time.RFC3339Nano)
	case query.KeyText:
		fields := []string{e.ID, e.Type, e.Actor.Email(), e.Actor.IP(), e.Project.Name, model.Summary(e)}
		f := fields[r.IntN(len(fields))]
		if r.IntN(3) == 0 {
			f = "needle-in-payload"
		}
		if len(f) < 3 {
			return ""
		}
		i := r.IntN(len(f) - 2)
		return strings.ToUpper(f[i : i+min(len(f)-i, 2+r.IntN(8))])
	}
	return ""
}

// refMatch evaluates terms the way the language is defined, term by term and
// without the package's grouping and predicates: positive terms of one key
// OR, keys AND, every negated term and every free-text word ANDs.
func refMatch(terms []query.Term, e *model.Event) bool {
	positive := map[query.Key]bool{}
	seen := map[query.Key]bool{}
	for _, t := range terms {
		m := refTerm(t, e)
		switch {
		case t.Negated:
			if m {
				return false
			}
		case t.Key == query.KeyText:
			if !m {
				return false
			}
		default:
			seen[t.Key] = true
			positive[t.Key] = positive[t.Key] || m
		}
	}
	for k := range seen {
		if !positive[k] {
			return false
		}
	}
	return true
}

// expanded memoises model.ExpandTypes for refTerm; the tests using it are not parallel.
var expanded = map[string][]string{}

func refTerm(t query.Term, e *model.Event) bool {
	v := t.Value
	switch t.Key {
	case query.KeyType:
		types, ok := expanded[v]
		if !ok {
			types, _ = model.ExpandTypes([]string{v})
			expanded[v] = types
		}
		return slices.Contains(types, e.Type)
	case query.KeyCategory:
		et, known := model.LookupType(e.Type)
		if strings.EqualFold(v, "other") {
			return !known
		}
		return known && strings.EqualFold(et.Category, v)
	case query.KeyActor:
		if strings.Contains(v, "@") {
			email := e.Actor.Email()
			return email != "" && email == v
		}
		return slices.Contains(e.Actor.IDs(), v)
	case query.KeyProject:
		if strings.HasPrefix(v, "proj_") {
			return e.Project.ID == v
		}
		return e.Project.Name != "" && strings.EqualFold(e.Project.Name, v)
	case query.KeyResource:
		return slices.Contains(e.ResourceIDs(), v)
	case query.KeyIP:
		a, err := netip.ParseAddr(e.Actor.IP())
		if err != nil {
			return false
		}
		a = a.WithZone("").Unmap()
		if !strings.Contains(v, "/") {
			b := netip.MustParseAddr(v).WithZone("").Unmap()
			return a == b
		}
		return netip.MustParsePrefix(v).Masked().Contains(a)
	case query.KeyCountry:
		return strings.EqualFold(e.Actor.Country(), v)
	case query.KeySince, query.KeyUntil:
		at, err := model.ParseTime(v, testNow)
		if err != nil {
			panic(err)
		}
		if t.Key == query.KeySince {
			return !e.EffectiveAt.Before(at)
		}
		return e.EffectiveAt.Before(at)
	case query.KeyText:
		fields := []string{e.ID, e.Type, e.Actor.Email(), e.Actor.IP(), e.Project.ID, e.Project.Name, model.Summary(e)}
		fields = append(fields, e.Actor.IDs()...)
		var leaves func(gjson.Result)
		leaves = func(r gjson.Result) {
			if r.IsObject() || r.IsArray() {
				r.ForEach(func(_, c gjson.Result) bool { leaves(c); return true })
				return
			}
			if r.Type == gjson.String {
				fields = append(fields, r.Str)
			} else if r.Type != gjson.Null {
				fields = append(fields, r.Raw)
			}
		}
		if len(e.Payload) > 0 {
			leaves(gjson.ParseBytes(e.Payload))
		}
		needle := strings.ToLower(v)
		for _, f := range fields {
			if strings.Contains(strings.ToLower(f), needle) {
				return true
			}
		}
		return false
	}
	panic("unknown key " + string(t.Key))
}
