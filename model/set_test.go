package model

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func decodeFixture(t testing.TB, raw string) Event {
	t.Helper()
	e, err := DecodeEvent([]byte(raw))
	if err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return e
}

// matcherFixtures are one event of each actor kind, plus awkward ones.
func matcherFixtures(t testing.TB) []Event {
	return []Event{
		decodeFixture(t, `{"id":"ev_session","type":"login.failed","effective_at":1,"actor":{"type":"session","session":{"user":{"id":"user-Abc123","email":"Maria.Garcia@Acme.com"},"ip_address":"10.42.0.7","ip_address_details":{"country":"GB"}}},"login.failed":{"error_code":"invalid_credentials"}}`),
		decodeFixture(t, `{"id":"ev_userkey","type":"api_key.created","effective_at":2,"actor":{"type":"api_key","api_key":{"id":"key_UserKey9","type":"user","user":{"id":"user-Xyz789","email":"ops@example.org"}}},"project":{"id":"proj_Search01","name":"Search Staging"},"api_key.created":{"id":"key_NewOne42","data":{"scopes":["api.model.read"]}}}`),
		decodeFixture(t, `{"id":"ev_service","type":"checkpoint.permission.deleted","effective_at":3,"actor":{"type":"api_key","api_key":{"id":"key_Svc1","type":"service_account","service_account":{"id":"svc_acct_Robot7"}}},"checkpoint.permission.deleted":{"id":"cp_Gone5"}}`),
		decodeFixture(t, `{"id":"ev_certs","type":"certificates.activated","effective_at":4,"actor":{"type":"session","session":{"user":{"id":"user-Émile","email":"Émile@Exemple.fr"},"ip_address":"2001:db8::1"}},"certificates.activated":{"certificates":[{"id":"cert_First","name":"a"},{"id":"cert_Second","name":"b"}]}}`),
		decodeFixture(t, `{"id":"ev_unknown","type":"Tenant.Odd/Type","effective_at":5,"actor":null}`),
		decodeFixture(t, `{"id":"ev_logout","type":"logout.succeeded","effective_at":6,"actor":{"type":"session","session":{"user":{"id":"user-Abc123","email":"Maria.Garcia@Acme.com"},"ip_address":"10.42.0.8"}},"logout.succeeded":{}}`),
	}
}

func TestMatcherSemantics(t *testing.T) {
	events := matcherFixtures(t)
	var s Set
	s.Append(events)
	ids := func(ids ...string) []string { return ids }
	cases := []struct {
		text string
		want []string // ids of the matching events
	}{
		{"", ids("ev_session", "ev_userkey", "ev_service", "ev_certs", "ev_unknown", "ev_logout")},
		{"   ", ids("ev_session", "ev_userkey", "ev_service", "ev_certs", "ev_unknown", "ev_logout")},
		{"LOGIN", ids("ev_session")},
		{" login.f ", ids("ev_session")},
		{"log", ids("ev_session", "ev_logout")},
		{"login.*", ids("ev_session")},
		{"log*", ids("ev_session", "ev_logout")},
		{"api_key.*", ids("ev_userkey")},
		{"API_KEY.*", ids("ev_userkey")},
		{"*.deleted", ids("ev_service")}, // "*" spans "checkpoint.permission"
		{"checkpoint.*.deleted", ids("ev_service")},
		{"?ogin.failed", ids("ev_session")},
		{"[lq]og*", ids("ev_session", "ev_logout")},
		{"login", ids("ev_session")},
		{"*acme*", nil},                                   // a glob looks at types only
		{"api_key.[", nil},                                // malformed: matches nothing
		{"tenant.odd/*", ids("ev_unknown")},               // a "/" in a type is just a character
		{"*type", ids("ev_unknown")},                      // "*" crosses "/" too
		{"maria.garcia@", ids("ev_session", "ev_logout")}, // email, any case
		{"10.42.0.7", ids("ev_session")},
		{"10.42.0", ids("ev_session", "ev_logout")},
		{"user-abc", ids("ev_session", "ev_logout")},
		{"key_userkey", ids("ev_userkey")},    // API key id
		{"svc_acct_robot", ids("ev_service")}, // service account id
		{"proj_search", ids("ev_userkey")},
		{"search staging", ids("ev_userkey")},
		{"key_newone", ids("ev_userkey")},  // resource id
		{"cp_gone", ids("ev_service")},     // resource id
		{"cert_second", ids("ev_certs")},   // listed resource id
		{"émile@", ids("ev_certs")},        // non-ASCII case folding
		{"ÉMILE@EXEMPLE", ids("ev_certs")}, //
		{"2001:db8", ids("ev_certs")},
		{"scopes", nil},                              // payload keys are not searched
		{"ev_session", ids("ev_session")},            // event ids are
		{"invalid_cred", ids("ev_session")},          // and payload values
		{"nothing at all", nil},                      //
		{"a\x00cme", ids("ev_session", "ev_logout")}, // NUL is dropped
		{strings.Repeat("maria ", 2000), nil},        // a long paste
	}
	for _, c := range cases {
		m := CompileMatcher(c.text)
		var byMatch []string
		for i := range events {
			if m.Match(&events[i]) {
				byMatch = append(byMatch, events[i].ID)
			}
		}
		if !slices.Equal(byMatch, c.want) {
			t.Errorf("CompileMatcher(%q).Match: got %v, want %v", c.text, byMatch, c.want)
		}
		idx, err := s.Filter(context.Background(), m, nil)
		if err != nil {
			t.Fatalf("Filter(%q): %v", c.text, err)
		}
		var byFilter []string
		for _, i := range idx {
			byFilter = append(byFilter, s.At(int(i)).ID)
		}
		if !slices.Equal(byFilter, c.want) {
			t.Errorf("Filter(%q): got %v, want %v", c.text, byFilter, c.want)
		}
	}
}

func TestMatcherSummaryText(t *testing.T) {
	// Whatever Summary says, a piece of it typed in any case finds the event.
	events := matcherFixtures(t)
	var s Set
	s.Append(events)
	for i := range events {
		sum := Summary(&events[i])
		for _, piece := range []string{sum, strings.ToUpper(sum[:len(sum)/2]), sum[len(sum)/3:]} {
			m := CompileMatcher(piece)
			if strings.TrimSpace(piece) == "" || m.TypeOnly() {
				continue
			}
			if !m.Match(&events[i]) {
				t.Errorf("%q does not match the event whose summary is %q", piece, sum)
			}
			idx, _ := s.Filter(context.Background(), m, nil)
			if !slices.Contains(idx, int32(i)) {
				t.Errorf("Filter(%q) misses the event whose summary is %q", piece, sum)
			}
		}
	}
}

func TestMatcherProperties(t *testing.T) {
	if !CompileMatcher("").IsEmpty() || !(Matcher{}).IsEmpty() || CompileMatcher("x").IsEmpty() {
		t.Error("IsEmpty: only empty text (and the zero Matcher) match everything")
	}
	if !CompileMatcher("api_key.*").TypeOnly() || CompileMatcher("api_key").TypeOnly() || CompileMatcher("").TypeOnly() {
		t.Error("TypeOnly: true for globs only")
	}
	if !CompileMatcher("").WithTypes([]string{"login.failed"}).TypeOnly() {
		t.Error("TypeOnly: a bare type restriction looks at types only")
	}
	if err := CompileMatcher("api_key.[").Err(); err == nil || !strings.Contains(err.Error(), "[ ]") {
		t.Errorf("Err of a malformed glob: got %v, want a sentence about the [ ]", err)
	}
	if CompileMatcher("api_key.[a]").Err() != nil {
		t.Error("Err of a valid glob must be nil")
	}
	if got := CompileMatcher("  Login.F ").Text(); got != "login.f" {
		t.Errorf("Text: got %q, want %q", got, "login.f")
	}
	if !CompileMatcher("Login").Equal(CompileMatcher("login ")) || CompileMatcher("login").Equal(CompileMatcher("login.*")) {
		t.Error("Equal compares the compiled text and kind")
	}
	m := CompileMatcher("x").WithTypes([]string{"b", "a", "b"})
	if got := m.Types(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Types: got %v, want [a b]", got)
	}
	if m.WithTypes(nil).Types() != nil {
		t.Error("WithTypes(nil) lifts the restriction")
	}
}

func TestMatcherWithTypes(t *testing.T) {
	events := matcherFixtures(t)
	var s Set
	s.Append(events)
	m := CompileMatcher("maria").WithTypes([]string{"logout.succeeded", "api_key.created"})
	idx, err := s.Filter(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx) != 1 || s.At(int(idx[0])).ID != "ev_logout" {
		t.Errorf("maria within the picked types: got %v, want only ev_logout", idx)
	}
	idx, _ = s.Filter(context.Background(), CompileMatcher("").WithTypes([]string{"api_key.created", "no.such"}), nil)
	if len(idx) != 1 || s.At(int(idx[0])).ID != "ev_userkey" {
		t.Errorf("types only: got %v, want only ev_userkey", idx)
	}
}

func TestNarrows(t *testing.T) {
	types := func(m Matcher, ts ...string) Matcher { return m.WithTypes(ts) }
	c := CompileMatcher
	cases := []struct {
		m, prev Matcher
		want    bool
	}{
		{c("login"), c("log"), true},
		{c("xlogin"), c("log"), true}, // contains, not only extends
		{c("log"), c("login"), false},
		{c("login"), c(""), true},
		{c(""), c("login"), false},
		{c("login.*"), c("login."), true},
		{c("login.*"), c("ogin"), true},
		{c("*.failed"), c("login"), false},
		{c("login"), c("login.*"), false}, // text also matches emails
		{c("api_key.*c"), c("api_key.*"), true},
		{c("api_key.*"), c("api*"), true},
		{c("api_key.*"), c("*"), true},
		{c("api_key.?"), c("api_key.*"), true},
		{c("ap*"), c("api*"), false},
		{c("[ab]pi.*"), c("api*"), false},
		{c("login.*"), c("login.*"), true},
		{c("api_key.["), c("zzz"), true}, // matches nothing
		{c("zzz"), c("api_key.["), false},
		{types(c("x"), "a"), types(c("x"), "a", "b"), true},
		{types(c("x"), "a", "b"), types(c("x"), "a"), false},
		{c("x"), types(c("x"), "a"), false},
		{types(c("xy"), "a"), c("x"), true},
	}
	for _, tc := range cases {
		if got := tc.m.Narrows(tc.prev); got != tc.want {
			t.Errorf("%q%v.Narrows(%q%v) = %v, want %v", tc.m.Text(), tc.m.Types(), tc.prev.Text(), tc.prev.Types(), got, tc.want)
		}
	}
}

// randomText returns what a person might type: a piece of some event's type
// or searched text (summaries included, so pieces cross the values a
// summary repeats), a glob, in random case.
func randomText(rng *rand.Rand, events []Event) string {
	e := &events[rng.IntN(len(events))]
	var f searchFields
	f.fill(e)
	var src string
	switch rng.IntN(8) {
	case 0, 1:
		src = e.Type
	case 2:
		src = string(f[colSummary])
	case 3:
		return strings.TrimSuffix(e.Type, e.Type[strings.LastIndexByte(e.Type, '.')+1:]) + "*"
	case 4:
		return "*" + e.Type[strings.IndexByte(e.Type, '.'):]
	default:
		src = string(f[rng.IntN(numCols)])
	}
	src = strings.ReplaceAll(src, "\x00", " ")
	if src == "" {
		return ""
	}
	i := rng.IntN(len(src))
	j := min(len(src), i+1+rng.IntN(12))
	text := src[i:j]
	if rng.IntN(3) == 0 {
		text = strings.ToUpper(text)
	}
	return text
}

func bruteForce(s *Set, m Matcher, n int) []int32 {
	out := []int32{}
	for i := range n {
		if m.Match(s.At(i)) {
			out = append(out, int32(i))
		}
	}
	return out
}

func TestFilterAgreesWithMatch(t *testing.T) {
	events := append(synthEvents(3000, 7), matcherFixtures(t)...)
	var s Set
	appendPages(&s, events)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 400 {
		text := randomText(rng, events)
		m := CompileMatcher(text)
		got, err := s.Filter(context.Background(), m, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := bruteForce(&s, m, s.Len()); !slices.Equal(got, want) {
			t.Fatalf("Filter(%q) finds %d events, Match finds %d", text, len(got), len(want))
		}
	}
}

func TestSummaryTemplatesRoundTrip(t *testing.T) {
	events := append(synthEvents(2000, 3), matcherFixtures(t)...)
	var s Set
	appendPages(&s, events)
	v := s.view()
	var f searchFields
	templated := 0
	for i := range v.n {
		f.fill(v.at(i))
		tmpl := v.dict.value(v.refs[i][colSummary])
		if got := v.expand(nil, tmpl, &v.refs[i]); string(got) != string(f[colSummary]) {
			t.Fatalf("event %d: template %q expands to %q, want %q", i, tmpl, got, f[colSummary])
		}
		if len(tmpl) < len(f[colSummary]) {
			templated++
		}
	}
	if templated < v.n/2 {
		t.Errorf("only %d of %d summaries share a template; the dictionary will be large", templated, v.n)
	}
}

// TestRefineEqualsScratch types, deletes and picks types at random while
// pages keep arriving, and checks every refined result against filtering
// from scratch.
func TestRefineEqualsScratch(t *testing.T) {
	events := synthEvents(4000, 11)
	var s Set
	s.Append(events[:500])
	loaded := 500
	rng := rand.New(rand.NewPCG(5, 6))
	allTypes := make([]string, 0)
	for typ := range s.TypeCounts(nil) {
		allTypes = append(allTypes, typ)
	}
	slices.Sort(allTypes)
	var res Result
	var text string
	target := randomText(rng, events)
	var picked []string
	narrowed, reused := 0, 0
	for step := range 1500 {
		switch r := rng.IntN(20); {
		case r == 0 && loaded < len(events):
			n := min(len(events)-loaded, 1+rng.IntN(150))
			s.Append(events[loaded : loaded+n])
			loaded += n
		case r == 1:
			picked = nil
			for _, typ := range allTypes {
				if rng.IntN(4) == 0 {
					picked = append(picked, typ)
				}
			}
		case r == 2 && len(text) > 0:
			text = text[:len(text)-1] // backspace
		case len(text) < len(target):
			text = target[:len(text)+1]
		default:
			target, text = randomText(rng, events), ""
		}
		m := CompileMatcher(text).WithTypes(picked)
		if m.Narrows(res.Matcher) {
			narrowed++
			for i := range res.Scanned {
				if m.Match(s.At(i)) && !res.Matcher.Match(s.At(i)) {
					t.Fatalf("step %d: %q claims to narrow %q but matches event %d which %q does not", step, m.Text(), res.Matcher.Text(), i, res.Matcher.Text())
				}
			}
		}
		if res.hits != nil && m.SearchesText() && strings.Contains(m.Text(), string(res.hits.needle)) {
			reused++ // the plan tests only the earlier needle's values
		}
		var err error
		if res, err = s.Refine(context.Background(), m, res); err != nil {
			t.Fatal(err)
		}
		if res.Scanned != s.Len() {
			t.Fatalf("step %d: Refine scanned %d of %d events", step, res.Scanned, s.Len())
		}
		want := bruteForce(&s, m, s.Len())
		if !slices.Equal(res.Indices, want) {
			t.Fatalf("step %d: Refine(%q %v) has %d events, filtering from scratch %d", step, text, picked, len(res.Indices), len(want))
		}
	}
	if narrowed < 500 {
		t.Errorf("only %d of 1500 steps narrowed: the test is not exercising narrowing", narrowed)
	}
	if reused < 300 {
		t.Errorf("only %d of 1500 steps planned from an earlier needle's hits", reused)
	}
}

func TestAppendDedupes(t *testing.T) {
	events := synthEvents(250, 4)
	var s Set
	if got := s.Append(events[:100]); got != 100 {
		t.Fatalf("first page: added %d, want 100", got)
	}
	if got := s.Append(events[:100]); got != 0 {
		t.Errorf("retried page: added %d, want 0", got)
	}
	if got := s.Append(events[50:200]); got != 100 {
		t.Errorf("overlapping page: added %d, want 100", got)
	}
	dup := []Event{events[200], events[201], events[200], events[10]}
	if got := s.Append(dup); got != 2 {
		t.Errorf("page with its own duplicate: added %d, want 2", got)
	}
	if s.Len() != 202 {
		t.Fatalf("Len = %d, want 202", s.Len())
	}
	for i := range 202 {
		if s.At(i).ID != events[i].ID {
			t.Fatalf("At(%d) is %s, want %s: insertion order is display order", i, s.At(i).ID, events[i].ID)
		}
	}
	noID := Event{Type: "login.succeeded"}
	if s.Append([]Event{noID, noID}) != 2 {
		t.Error("events without an id cannot be told apart and are all kept")
	}
	if s.At(-1) != nil || s.At(s.Len()) != nil {
		t.Error("At out of range must be nil")
	}
	stored := s.At(0)
	events[0].Type = "changed.by.caller"
	if stored.Type == "changed.by.caller" {
		t.Error("Append must copy the events, not alias the caller's slice")
	}
}

func TestAppendAfterChunkBoundary(t *testing.T) {
	events := synthEvents(chunkSize*2+10, 9)
	var s Set
	first := s.Append(events[:chunkSize])
	p := s.At(chunkSize - 1)
	appendPages(&s, events[chunkSize:])
	if first != chunkSize || s.Len() != len(events) {
		t.Fatalf("Len = %d, want %d", s.Len(), len(events))
	}
	if s.At(chunkSize-1) != p {
		t.Error("an appended event must never move")
	}
	if s.Append(events[chunkSize*2:]) != 0 {
		t.Error("ids seen in an earlier chunk are still deduplicated")
	}
}

func TestTypeCounts(t *testing.T) {
	events := synthEvents(3000, 12)
	var s Set
	appendPages(&s, events)
	want := map[string]int{}
	for i := range events {
		want[events[i].Type]++
	}
	if got := s.TypeCounts(nil); !mapsEqual(got, want) {
		t.Errorf("TypeCounts(nil) = %v, want %v", got, want)
	}
	indices := []int32{0, 5, 5, 2999, 3000, -1, 1 << 30}
	want = map[string]int{events[0].Type: 1, events[2999].Type: 1}
	want[events[5].Type] += 2
	if got := s.TypeCounts(indices); !mapsEqual(got, want) {
		t.Errorf("TypeCounts(%v) = %v, want %v", indices, got, want)
	}
	if got := (&Set{}).TypeCounts(nil); len(got) != 0 {
		t.Errorf("empty set counts %v", got)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestFilterRangeAndWithin(t *testing.T) {
	events := synthEvents(1000, 13)
	var s Set
	s.Append(events)
	ctx := context.Background()
	m := CompileMatcher("login")
	all := bruteForce(&s, m, s.Len())
	got, err := s.FilterRange(ctx, m, -5, 1<<40)
	if err != nil || !slices.Equal(got, all) {
		t.Errorf("FilterRange over more than everything: %d events, %v; want %d", len(got), err, len(all))
	}
	got, _ = s.FilterRange(ctx, m, 600, 700)
	var want []int32
	for _, i := range all {
		if i >= 600 && i < 700 {
			want = append(want, i)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("FilterRange(600, 700) = %v, want %v", got, want)
	}
	if got, err := s.FilterRange(ctx, m, 700, 600); err != nil || got == nil || len(got) != 0 {
		t.Errorf("an empty range gives an empty, non-nil result: %v, %v", got, err)
	}
	within := []int32{-1, 0, 1, 2, 3, 999, 1000, 1 << 30}
	got, _ = s.Filter(ctx, CompileMatcher(""), within)
	if !slices.Equal(got, []int32{0, 1, 2, 3, 999}) {
		t.Errorf("Filter within drops out-of-range indices: got %v", got)
	}
	got, _ = s.Filter(ctx, m, []int32{})
	if len(got) != 0 {
		t.Errorf("Filter within nothing finds %v", got)
	}
	if got, _ := (&Set{}).Filter(ctx, m, nil); len(got) != 0 {
		t.Errorf("the empty set finds %v", got)
	}
}

// cancelAfter is a context that reports itself done after n looks.
type cancelAfter struct {
	context.Context
	n atomic.Int64
}

func (c *cancelAfter) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func TestFilterCancelled(t *testing.T) {
	events := synthEvents(checkEvery*3, 14)
	var s Set
	appendPages(&s, events)
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for _, text := range []string{"", "login", "api_key.*", "maria"} {
		m := CompileMatcher(text)
		if _, err := s.Filter(done, m, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("Filter(%q) with a cancelled context: err = %v", text, err)
		}
		if _, err := s.Refine(done, m, Result{}); !errors.Is(err, context.Canceled) {
			t.Errorf("Refine(%q) with a cancelled context: err = %v", text, err)
		}
		// Superseded halfway through: it notices and stops.
		ctx := &cancelAfter{Context: context.Background()}
		ctx.n.Store(2)
		if got, err := s.Filter(ctx, m, nil); !errors.Is(err, context.Canceled) || got != nil {
			t.Errorf("Filter(%q) cancelled midway: %d results, err = %v", text, len(got), err)
		}
	}
}

// TestConcurrentFilterDuringAppend is for -race: readers filter, refine,
// count and read events while pages keep arriving.
func TestConcurrentFilterDuringAppend(t *testing.T) {
	events := synthEvents(20000, 15)
	var s Set
	s.Append(events[:100])
	texts := []string{"login", "api_key.*", "acme.co", "10.", "signed in", ""}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var checks atomic.Int64
	for r := range 4 {
		wg.Go(func() {
			var res Result
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				m := CompileMatcher(texts[(r+k)%len(texts)])
				var err error
				if res, err = s.Refine(context.Background(), m, res); err != nil {
					t.Error(err)
					return
				}
				if !slices.IsSorted(res.Indices) || len(res.Indices) > res.Scanned {
					t.Errorf("Refine(%q) gave unordered or too many indices", m.Text())
					return
				}
				for _, i := range res.Indices {
					if !m.Match(s.At(int(i))) {
						t.Errorf("Refine(%q) returned event %d, which does not match", m.Text(), i)
						return
					}
				}
				counts := s.TypeCounts(res.Indices)
				total := 0
				for _, c := range counts {
					total += c
				}
				if total != len(res.Indices) {
					t.Errorf("TypeCounts of %d indices adds up to %d", len(res.Indices), total)
					return
				}
				_ = s.TypeCounts(nil)
				checks.Add(1)
			}
		})
	}
	appendPages(&s, events[100:])
	close(stop)
	wg.Wait()
	if s.Len() != len(events) {
		t.Fatalf("Len = %d, want %d", s.Len(), len(events))
	}
	if checks.Load() == 0 {
		t.Error("no reader ran while pages were appended")
	}
}

// TestStraddleEdges checks needles across placeholder edges on a template
// with two values side by side, which summaries rarely produce.
func TestStraddleEdges(t *testing.T) {
	var s Set
	s.init()
	r := eventRefs{colActor: s.intern([]byte("ab@x.io")), colIP: s.intern([]byte("10.0.0.1"))}
	tmpl := []byte{placeholder, 0x80 | colActor<<4, placeholder, 0x80 | colIP<<4}
	tmpl = append(tmpl, " (gb) by "...)
	tmpl = append(tmpl, placeholder, 0x80|colActor<<4)
	r[colSummary] = s.intern(tmpl)
	v := &setView{n: 1, types: []uint32{0}, refs: []eventRefs{r}, typeNames: []string{"x"}, typeLower: []string{"x"},
		dict: s.dict, templates: []uint32{r[colSummary]}, longest: len("ab@x.io10.0.0.1 (gb) by ab@x.io")}
	if got := string(v.expand(nil, tmpl, &r)); got != "ab@x.io10.0.0.1 (gb) by ab@x.io" {
		t.Fatalf("expand: %q", got)
	}
	for needle, want := range map[string]bool{
		"x.io10.0":                        true, // value into value
		"io1":                             true,
		"0.1 (g":                          true, // value into text
		".1 (gb) by ab":                   true, // value, text, value
		"ab@x.io10.0.0.1 (gb) by ab@x.io": true,
		"(gb) by a":                       true, // text into value
		"b) by ab@x.io":                   true,
		"x.io 10":                         false,
		"1 (gb) by ab@x.io.":              false,
		"by ab@x.io10":                    false,
		"ab@x.io10.0.0.2":                 false,
	} {
		p, err := v.plan(context.Background(), CompileMatcher(needle), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := (&partMatcher{plan: p}).match(0); got != want {
			t.Errorf("%q in %q: got %v, want %v", needle, v.expand(nil, tmpl, &r), got, want)
		}
	}
}
