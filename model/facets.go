package model

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"sync"
)

// Facet is a field the facets panel counts the current result by.
type Facet uint8

// The facets, in the order the panel shows them.
const (
	FacetCategory Facet = iota
	FacetType
	FacetActor
	FacetProject
	FacetIP
	FacetCountry
	numFacets
)

// Facets lists every facet in display order.
var Facets = []Facet{FacetCategory, FacetType, FacetActor, FacetProject, FacetIP, FacetCountry}

func (f Facet) String() string {
	switch f {
	case FacetCategory:
		return "category"
	case FacetType:
		return "type"
	case FacetActor:
		return "actor"
	case FacetProject:
		return "project"
	case FacetIP:
		return "ip"
	case FacetCountry:
		return "country"
	}
	return "unknown"
}

// FacetValue is one value of a facet and how many events have it. Value is
// what a query term filters by (an email or id, a project id, a type);
// Label is what a person reads beside it: a project's name, or the
// countries an address's sessions were placed in.
type FacetValue struct {
	Value string
	Label string
	Count int
}

// FacetCounts holds, per facet, its values by count (most first, then by
// value); events without a value (no IP, no project) are not counted.
type FacetCounts [numFacets][]FacetValue

// Of returns the values counted for f.
func (c *FacetCounts) Of(f Facet) []FacetValue {
	if f >= numFacets {
		return nil
	}
	return c[f]
}

// FacetIndex numbers each event's facet values and keeps its time, so that
// counting a million events is a few array increments per event rather
// than a walk over the events themselves. Keep one per Set and call Update
// after appending; Counts and Histogram may run on other goroutines at the
// same time: they read a snapshot, as Set's readers do.
type FacetIndex struct {
	mu   sync.Mutex // guards everything below and serialises Update
	snap facetView

	byValue [numFacets]map[string]uint32
	dict    [numFacets][]string // value number -> value; 0 is "no value"
	labels  []string            // project number -> name
	places  []string            // IP number -> the countries its sessions gave, "US" or "US, DE"
	catOf   []uint32            // type number -> category number
}

// facetView is an immutable snapshot: its slices are only ever written
// beyond their lengths.
type facetView struct {
	n       int
	ordered bool                    // every event is as old as or older than the one before
	runs    []int32                 // where each run of events in time order starts, after the first
	codes   [numFacets - 1][]uint32 // per event, without category (derived from type)
	at      []int64                 // per event: effective time in Unix seconds
	dict    [numFacets][]string
	labels  []string
	places  []string
	catOf   []uint32
}

// Len is how many events of the Set have been indexed.
func (x *FacetIndex) Len() int { return x.view().n }

func (x *FacetIndex) view() facetView {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.snap
}

// Update indexes the events appended to s since the last Update; s must
// be the same Set every time.
func (x *FacetIndex) Update(s *Set) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.byValue[0] == nil {
		for f := range numFacets {
			x.byValue[f] = map[string]uint32{"": 0}
			x.dict[f] = []string{""}
		}
		x.labels = []string{""}
		x.places = []string{""}
		x.catOf = []uint32{0} // type 0 is "no type"
	}
	v := s.view()
	sn := x.snap
	relabelled := false
	if sn.n == 0 {
		sn.ordered = true
	}
	for i := sn.n; i < v.n; i++ {
		e := v.at(i)
		if at := e.EffectiveAt.Unix(); i > 0 && at > sn.at[i-1] {
			sn.ordered = false
			sn.runs = append(sn.runs, int32(i)) // a later query's pages start over from the newest
		}
		t := x.number(FacetType, e.Type)
		if int(t) >= len(x.catOf) {
			et, _ := LookupType(e.Type)
			x.catOf = append(x.catOf, x.number(FacetCategory, et.Category))
		}
		p := x.number(FacetProject, e.Project.ID)
		if int(p) >= len(x.labels) {
			x.labels = append(x.labels, e.Project.Name)
			relabelled = true
		} else if x.labels[p] == "" && e.Project.Name != "" && p > 0 {
			x.labels[p] = e.Project.Name // a later event may carry the name
			relabelled = true
		}
		sn.codes[FacetType-1] = append(sn.codes[FacetType-1], t)
		sn.codes[FacetActor-1] = append(sn.codes[FacetActor-1], x.number(FacetActor, e.Actor.Label()))
		sn.codes[FacetProject-1] = append(sn.codes[FacetProject-1], p)
		ip := x.number(FacetIP, e.Actor.IP())
		relabelled = x.place(ip, e.Actor.Country()) || relabelled
		sn.codes[FacetIP-1] = append(sn.codes[FacetIP-1], ip)
		sn.codes[FacetCountry-1] = append(sn.codes[FacetCountry-1], x.number(FacetCountry, e.Actor.Country()))
		sn.at = append(sn.at, e.EffectiveAt.Unix())
	}
	sn.n = v.n
	sn.dict = x.dict
	if relabelled {
		// Labels are filled in place: readers get their own copy.
		sn.labels = slices.Clone(x.labels)
		sn.places = slices.Clone(x.places)
	}
	sn.catOf = x.catOf
	x.snap = sn
}

// NewestFirst reports whether the indexed events are in the Set newest
// first, as one query's pages arrive, so that their order in the Set is
// their order in time. Pages of a second query break it.
func (x *FacetIndex) NewestFirst() bool {
	v := x.view()
	return v.n == 0 || v.ordered
}

// SortNewestFirst orders indices by time, newest first, keeping the Set's
// order among events of the same second. Indices not yet indexed go last.
// Ascending indices (a filter's result) are merged run by run, as each
// query's pages are already newest first: O(n log runs) rather than a sort.
func (x *FacetIndex) SortNewestFirst(indices []int32) {
	v := x.view()
	at := func(i int32) int64 {
		if i < 0 || int(i) >= v.n {
			return math.MinInt64
		}
		return v.at[i]
	}
	before := func(a, b int32) bool {
		ta, tb := at(a), at(b)
		return ta > tb || ta == tb && a < b
	}
	if !slices.IsSorted(indices) {
		slices.SortStableFunc(indices, func(a, b int32) int {
			return cmp.Or(cmp.Compare(at(b), at(a)), cmp.Compare(a, b))
		})
		return
	}
	// Split into the runs, each already in order; events past the index
	// (all "oldest", ascending) are a run of their own.
	bounds := append(slices.Clone(v.runs), int32(v.n))
	var segs [][]int32
	start, r := 0, 0
	for k, i := range indices {
		if r < len(bounds) && i >= bounds[r] {
			for r < len(bounds) && i >= bounds[r] {
				r++
			}
			if k > start {
				segs = append(segs, indices[start:k])
			}
			start = k
		}
	}
	segs = append(segs, indices[start:])
	if len(segs) == 1 {
		return
	}
	// Merge pairs of runs until one is left, between indices and a buffer.
	buf := make([]int32, len(indices))
	src, dst := indices, buf
	for len(segs) > 1 {
		var merged [][]int32
		off := 0
		for k := 0; k < len(segs); k += 2 {
			if k+1 == len(segs) {
				n := copy(dst[off:], segs[k])
				merged = append(merged, dst[off:off+n])
				off += n
				continue
			}
			a, b := segs[k], segs[k+1]
			out := dst[off : off+len(a)+len(b)]
			i, j := 0, 0
			for w := range out {
				if j == len(b) || i < len(a) && before(a[i], b[j]) {
					out[w], i = a[i], i+1
				} else {
					out[w], j = b[j], j+1
				}
			}
			merged = append(merged, out)
			off += len(out)
		}
		segs, src, dst = merged, dst, src
	}
	if &src[0] != &indices[0] {
		copy(indices, src)
	}
}

// place notes that the address numbered ip was in country, reporting
// whether its label changed; only the countries the events give are named.
func (x *FacetIndex) place(ip uint32, country string) bool {
	if int(ip) >= len(x.places) {
		x.places = append(x.places, country)
		return country != ""
	}
	was := x.places[ip]
	if ip == 0 || country == "" || slices.Contains(strings.Split(was, ", "), country) {
		return false
	}
	if was != "" {
		country = was + ", " + country
	}
	x.places[ip] = country
	return true
}

func (x *FacetIndex) number(f Facet, val string) uint32 {
	if n, ok := x.byValue[f][val]; ok {
		return n
	}
	n := uint32(len(x.dict[f]))
	x.byValue[f][val] = n
	x.dict[f] = append(x.dict[f], val)
	return n
}

// Counts counts the facet values of the events at indices (in the Set
// order; out-of-range ones are ignored), or of every indexed event when
// indices is nil. It returns ctx's error as soon as it notices ctx is done.
func (x *FacetIndex) Counts(ctx context.Context, indices []int32) (FacetCounts, error) {
	v := x.view()
	var per [numFacets - 1][]int
	for f := range per {
		per[f] = make([]int, len(v.dict[f+1]))
	}
	typ, act, prj, ip, cty := v.codes[0], v.codes[1], v.codes[2], v.codes[3], v.codes[4]
	tc, ac, pc, ic, cc := per[0], per[1], per[2], per[3], per[4]
	count := func(i int32) {
		tc[typ[i]]++
		ac[act[i]]++
		pc[prj[i]]++
		ic[ip[i]]++
		cc[cty[i]]++
	}
	if indices == nil {
		for i := range int32(v.n) {
			if i%checkEvery == 0 && ctx.Err() != nil {
				return FacetCounts{}, ctx.Err()
			}
			count(i)
		}
	} else {
		n := int32(v.n)
		for k, i := range indices {
			if k%checkEvery == 0 && ctx.Err() != nil {
				return FacetCounts{}, ctx.Err()
			}
			if i >= 0 && i < n {
				count(i)
			}
		}
	}
	var out FacetCounts
	cats := make([]int, len(v.dict[FacetCategory]))
	for t, c := range tc {
		if c > 0 && t < len(v.catOf) {
			cats[v.catOf[t]] += c
		}
	}
	out[FacetCategory] = ranked(cats, v.dict[FacetCategory], nil)
	for f := FacetType; f < numFacets; f++ {
		var labels []string
		switch f {
		case FacetProject:
			labels = v.labels
		case FacetIP:
			labels = v.places
		}
		out[f] = ranked(per[f-1], v.dict[f], labels)
	}
	return out, nil
}

// ranked lists the values with a count, most first; "no value" (0) is left out.
func ranked(counts []int, dict, labels []string) []FacetValue {
	var out []FacetValue
	for n := 1; n < len(counts); n++ {
		if counts[n] == 0 {
			continue
		}
		fv := FacetValue{Value: dict[n], Count: counts[n]}
		if n < len(labels) {
			fv.Label = labels[n]
		}
		out = append(out, fv)
	}
	slices.SortFunc(out, func(a, b FacetValue) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.Value, b.Value))
	})
	return out
}
