package model

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// facetsByHand counts facet values of the events at indices the slow way.
func facetsByHand(s *Set, indices []int32) map[Facet]map[string]int {
	out := map[Facet]map[string]int{}
	for _, f := range Facets {
		out[f] = map[string]int{}
	}
	add := func(f Facet, v string) {
		if v != "" {
			out[f][v]++
		}
	}
	for _, i := range indices {
		e := s.At(int(i))
		if e == nil {
			continue
		}
		et, _ := LookupType(e.Type)
		add(FacetCategory, et.Category)
		add(FacetType, e.Type)
		add(FacetActor, e.Actor.Label())
		add(FacetProject, e.Project.ID)
		add(FacetIP, e.Actor.IP())
		add(FacetCountry, e.Actor.Country())
	}
	return out
}

func checkCounts(t *testing.T, got FacetCounts, want map[Facet]map[string]int) {
	t.Helper()
	for _, f := range Facets {
		vals := got.Of(f)
		if len(vals) != len(want[f]) {
			t.Errorf("%s: %d values, want %d", f, len(vals), len(want[f]))
		}
		for k, v := range vals {
			if v.Count != want[f][v.Value] {
				t.Errorf("%s %q: %d, want %d", f, v.Value, v.Count, want[f][v.Value])
			}
			if k > 0 && (vals[k-1].Count < v.Count || vals[k-1].Count == v.Count && vals[k-1].Value >= v.Value) {
				t.Errorf("%s: %v before %v: not most first, then by value", f, vals[k-1], v)
			}
		}
	}
}

func TestFacetCountsAgreeWithTheEvents(t *testing.T) {
	events := synthEvents(20_000, 7)
	s := &Set{}
	var x FacetIndex
	// Indexed a page at a time, as the browser does.
	for len(events) > 0 {
		n := min(len(events), 333)
		s.Append(events[:n])
		x.Update(s)
		events = events[n:]
	}
	if x.Len() != s.Len() {
		t.Fatalf("indexed %d of %d events", x.Len(), s.Len())
	}
	all := make([]int32, s.Len())
	for i := range all {
		all[i] = int32(i)
	}
	got, err := x.Counts(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, got, facetsByHand(s, all))

	for _, text := range []string{"login.failed", "api_key.*", "acme.com", "no such text anywhere"} {
		idx, err := s.Filter(context.Background(), CompileMatcher(text), nil)
		if err != nil {
			t.Fatal(err)
		}
		// Out-of-range indices are ignored.
		got, err := x.Counts(context.Background(), append(slices.Clone(idx), -1, int32(s.Len())))
		if err != nil {
			t.Fatal(err)
		}
		checkCounts(t, got, facetsByHand(s, idx))
	}
	projects := got.Of(FacetProject)
	if len(projects) == 0 || projects[0].Label == "" {
		t.Fatalf("projects %v carry no names", projects)
	}
}

func TestFacetCountsCancelled(t *testing.T) {
	s := &Set{}
	s.Append(synthEvents(3*checkEvery, 3))
	var x FacetIndex
	x.Update(s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := x.Counts(ctx, nil); err == nil {
		t.Fatal("counts over a cancelled context did not fail")
	}
	if _, err := x.Histogram(ctx, nil, 80, time.UTC); err == nil {
		t.Fatal("histogram over a cancelled context did not fail")
	}
}

// Counting reads a snapshot while pages are appended and indexed: run with -race.
func TestFacetsDuringUpdate(t *testing.T) {
	events := synthEvents(30_000, 5)
	s := &Set{}
	var x FacetIndex
	var wg sync.WaitGroup
	wg.Go(func() {
		for k := 0; k < len(events); k += 1000 {
			s.Append(events[k : k+1000])
			x.Update(s)
		}
	})
	for range 20 {
		c, err := x.Counts(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, v := range c.Of(FacetType) {
			n += v.Count
		}
		if n > len(events) {
			t.Fatalf("%d events counted of %d", n, len(events))
		}
		if _, err := x.Histogram(context.Background(), nil, 60, time.UTC); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

func TestHistogramBuckets(t *testing.T) {
	base := time.Date(2026, 11, 20, 13, 47, 12, 0, time.UTC)
	for _, c := range []struct {
		span    int64 // seconds
		buckets int
		step    int64
		start   time.Time
	}{
		{0, 60, minute, time.Date(2026, 11, 20, 13, 47, 0, 0, time.UTC)},
		{30 * minute, 60, minute, time.Date(2026, 11, 20, 13, 47, 0, 0, time.UTC)},
		{3 * hour, 60, 5 * minute, time.Date(2026, 11, 20, 13, 45, 0, 0, time.UTC)},
		{2 * day, 80, hour, time.Date(2026, 11, 20, 13, 0, 0, 0, time.UTC)},
		{2 * day, 30, 2 * hour, time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)},
		{30 * day, 60, day, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
		{29 * day, 60, 12 * hour, time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)},
		{90 * day, 80, 2 * day, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
		{400 * day, 100, 7 * day, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
		{5000 * day, 1, 5001 * day, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
	} {
		newest := time.Unix(base.Unix()+c.span, 0)
		start, step := HistogramBuckets(base, newest, c.buckets, time.UTC)
		if step != c.step || !start.Equal(c.start) {
			t.Errorf("%ds in %d buckets: start %v step %d, want %v and %d", c.span, c.buckets, start, step, c.start, c.step)
		}
		if n := (newest.Unix()-start.Unix())/step + 1; n > int64(c.buckets) {
			t.Errorf("%ds in %d buckets needs %d", c.span, c.buckets, n)
		}
	}
	// Days start at midnight where the person is.
	tokyo := time.FixedZone("JST", 9*3600)
	start, step := HistogramBuckets(base, time.Unix(base.Unix()+60*day, 0), 40, tokyo)
	if step != 2*day || !start.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, tokyo)) {
		t.Errorf("Tokyo: start %v step %d", start, step)
	}
}

// TestHistogramFarApart: events thousands of years apart, at both ends of
// what a record may carry, are counted into buckets that hold them (the
// span once overflowed time.Duration and indexed past the counts).
func TestHistogramFarApart(t *testing.T) {
	for _, times := range [][]int64{
		{1760000000, 99999999999},
		{-1e11, 1760000000},
		{-1e11, 1760000000, 99999999999},
		{-1e11, -1e11 + 1},
		{1e11, 1e11},
	} {
		s := &Set{}
		var events []Event
		for i, at := range times {
			events = append(events, Event{ID: fmt.Sprint("evt_", i), Type: "login.succeeded", EffectiveAt: time.Unix(at, 0).UTC()})
		}
		s.Append(events)
		var x FacetIndex
		x.Update(s)
		for _, buckets := range []int{1, 2, 38, 198} {
			h, err := x.Histogram(context.Background(), nil, buckets, time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			if h.Len() == 0 || h.Len() > buckets || h.Step <= 0 {
				t.Fatalf("%v in %d buckets: %d buckets of %ds", times, buckets, h.Len(), h.Step)
			}
			total := 0
			for _, e := range events {
				b := h.Bucket(e.EffectiveAt)
				if from, to := h.Bounds(b); b < 0 || e.EffectiveAt.Before(from) || !e.EffectiveAt.Before(to) {
					t.Fatalf("%v in %d buckets: %v put in bucket %d [%v, %v)", times, buckets, e.EffectiveAt, b, from, to)
				}
			}
			for _, c := range h.Counts {
				total += c
			}
			if total != len(events) {
				t.Fatalf("%v in %d buckets: counted %d events, want %d", times, buckets, total, len(events))
			}
		}
	}
}

func TestHistogramCountsEveryEventOnce(t *testing.T) {
	s := &Set{}
	appendPages(s, synthEvents(10_000, 9))
	var x FacetIndex
	x.Update(s)
	idx, err := s.Filter(context.Background(), CompileMatcher("login"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, buckets := range []int{1, 7, 80, 158} {
		t.Run(fmt.Sprint(buckets), func(t *testing.T) {
			h, err := x.Histogram(context.Background(), idx, buckets, time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			if h.Len() == 0 || h.Len() > buckets {
				t.Fatalf("%d buckets, want 1..%d", h.Len(), buckets)
			}
			want := make([]int, h.Len())
			for _, i := range idx {
				at := s.At(int(i)).EffectiveAt
				b := h.Bucket(at)
				if from, to := h.Bounds(b); b < 0 || at.Before(from) || !at.Before(to) {
					t.Fatalf("event at %v put in bucket %d [%v, %v)", at, b, from, to)
				}
				want[b]++
			}
			if !slices.Equal(h.Counts, want) || h.Max != slices.Max(want) {
				t.Fatalf("counts %v (max %d), want %v", h.Counts, h.Max, want)
			}
			if h.Bucket(h.Start.Add(-time.Second)) != -1 || h.Bucket(time.Unix(h.Start.Unix()+int64(h.Len())*h.Step, 0)) != -1 {
				t.Fatal("times outside the buckets were given one")
			}
		})
	}
	if h, err := x.Histogram(context.Background(), []int32{}, 80, time.UTC); err != nil || h.Len() != 0 || h.Bucket(time.Now()) != -1 {
		t.Fatalf("no events: %v %v", h, err)
	}
}

// BenchmarkFacets is opening the facets panel (and drawing the histogram)
// over a million loaded events: all of them, and a filtered result.
func BenchmarkFacets(b *testing.B) {
	s := benchSet(b)
	var x FacetIndex
	start := time.Now()
	x.Update(s)
	b.Logf("indexing %d events for facets took %v", s.Len(), time.Since(start))
	within, _ := s.Filter(context.Background(), CompileMatcher("acme.com"), nil)
	for _, c := range []struct {
		name    string
		indices []int32
	}{{"all", nil}, {fmt.Sprintf("%d-indices", len(within)), within}} {
		b.Run("counts/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if fc, err := x.Counts(context.Background(), c.indices); err != nil || len(fc.Of(FacetType)) == 0 {
					b.Fatal("no counts", err)
				}
			}
		})
		b.Run("histogram/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if h, err := x.Histogram(context.Background(), c.indices, 158, time.UTC); err != nil || h.Len() == 0 {
					b.Fatal("no histogram", err)
				}
			}
		})
	}
}

// BenchmarkFacetIndexUpdate is the cost of indexing one page of 100 events.
func BenchmarkFacetIndexUpdate(b *testing.B) {
	events := synthEvents(100_000, 2)
	b.ReportAllocs()
	b.ResetTimer()
	for k := 0; k < b.N; {
		s := &Set{}
		var x FacetIndex
		for p := 0; p < len(events) && k < b.N; p, k = p+DefaultPageSize, k+1 {
			b.StopTimer()
			s.Append(events[p : p+DefaultPageSize])
			b.StartTimer()
			x.Update(s)
		}
	}
}

func TestSortNewestFirst(t *testing.T) {
	events := synthEvents(5000, 11)
	s := &Set{}
	var x FacetIndex
	s.Append(events[:3000])
	x.Update(s)
	if !x.NewestFirst() {
		t.Fatal("one query's pages are newest first")
	}
	// A second query's pages: newer events after older ones.
	s.Append(events[4000:])
	s.Append(events[3000:4000])
	x.Update(s)
	if x.NewestFirst() {
		t.Fatal("pages of a second query out of time order were not noticed")
	}
	all := make([]int32, s.Len()+1)
	for i := range all {
		all[i] = int32(i) // the last is not indexed
	}
	x.SortNewestFirst(all)
	if all[len(all)-1] != int32(s.Len()) {
		t.Fatalf("an index past the Set is not last: %v", all[len(all)-3:])
	}
	for k := 1; k < s.Len(); k++ {
		a, b := s.At(int(all[k-1])), s.At(int(all[k]))
		if a.EffectiveAt.Unix() < b.EffectiveAt.Unix() || a.EffectiveAt.Unix() == b.EffectiveAt.Unix() && all[k-1] > all[k] {
			t.Fatalf("%d (%v) before %d (%v)", all[k-1], a.EffectiveAt, all[k], b.EffectiveAt)
		}
	}
}

// Merging the runs of several queries' pages gives what a stable sort by
// time gives, for any ascending subset.
func TestSortNewestFirstMergesRuns(t *testing.T) {
	events := synthEvents(6000, 13)
	s := &Set{}
	var x FacetIndex
	// Five "queries": overlapping slices of the organisation, each newest first.
	for _, r := range [][2]int{{0, 1000}, {3000, 4000}, {500, 2500}, {5000, 6000}, {2000, 3500}} {
		appendPages(s, events[r[0]:r[1]])
		x.Update(s)
	}
	v := x.view()
	// A run starts where a query's pages go back to newer events.
	if len(v.runs) != 2 {
		t.Fatalf("%d runs after the first, want 2", len(v.runs))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 50 {
		var idx []int32
		for i := range s.Len() + 3 { // a few past the index too
			if rng.IntN(100) < 10+round {
				idx = append(idx, int32(i))
			}
		}
		want := slices.Clone(idx)
		slices.SortStableFunc(want, func(a, b int32) int {
			ta, tb := int64(math.MinInt64), int64(math.MinInt64)
			if int(a) < s.Len() {
				ta = s.At(int(a)).EffectiveAt.Unix()
			}
			if int(b) < s.Len() {
				tb = s.At(int(b)).EffectiveAt.Unix()
			}
			return cmp.Or(cmp.Compare(tb, ta), cmp.Compare(a, b))
		})
		x.SortNewestFirst(idx)
		if !slices.Equal(idx, want) {
			t.Fatalf("round %d: merged order differs from a stable sort", round)
		}
	}
}

// An address is labelled with the countries its sessions' ip_address_details
// gave, each once, in the order seen, and with nothing the data does not say.
func TestFacetIPsNameTheirCountries(t *testing.T) {
	rec := func(id, ip, details string) Event {
		t.Helper()
		raw := `{"id":"` + id + `","type":"login.succeeded","effective_at":1700000000,"actor":{"type":"session","session":{"user":{"id":"user_1","email":"a@example.com"},"ip_address":"` + ip + `"` + details + `}}}`
		e, err := DecodeEvent([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	at := func(c string) string { return `,"ip_address_details":{"country":"` + c + `","city":"X"}` }
	s := &Set{}
	var x FacetIndex
	s.Append([]Event{rec("e1", "192.0.2.1", at("US")), rec("e2", "192.0.2.2", "")})
	x.Update(s)
	s.Append([]Event{rec("e3", "192.0.2.1", at("DE")), rec("e4", "192.0.2.1", at("US")), rec("e5", "192.0.2.2", at("")), rec("e6", "192.0.2.3", at("FR"))})
	x.Update(s)
	got, _ := x.Counts(context.Background(), nil)
	want := map[string]string{"192.0.2.1": "US, DE", "192.0.2.2": "", "192.0.2.3": "FR"}
	for _, v := range got.Of(FacetIP) {
		if v.Label != want[v.Value] {
			t.Errorf("%s labelled %q, want %q", v.Value, v.Label, want[v.Value])
		}
	}
	if len(got.Of(FacetIP)) != 3 {
		t.Fatalf("%d addresses counted, want 3", len(got.Of(FacetIP)))
	}
}
