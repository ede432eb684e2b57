package model

import (
	"bytes"
	"context"
	"hash/maphash"
	"math"
	mathbits "math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Set is the browser's store of loaded events: append-only, deduplicated by
// event id, kept in insertion (display) order and indexed so that filtering
// a million events takes milliseconds.
//
// The index keeps, per event, a type number and one number per searched
// column (actor, IP, project, resources, summary) naming a lower-cased value
// in a dictionary shared by all events (summaries as templates, see
// appendTemplate); values repeat a lot (the same people, IPs and projects),
// so free text is looked for once per distinct value and then per event
// only bits are tested. About 40 bytes per event on top of the Event.
//
// Concurrency: every method is safe for concurrent use. Appends are
// serialised with each other (the browser appends on its UI goroutine) and
// publish a new immutable snapshot when they return; readers load the
// current snapshot and never wait for an Append, except TypeCounts(nil),
// which takes the append lock briefly. Filter, FilterRange, Refine and
// TypeCounts(indices) work on the snapshot they start with, so events
// appended while they run are ignored and Refine's Result.Scanned says how
// many were examined. Len and At see every Append that has returned. An
// *Event returned by At is never modified or moved by the Set; callers must
// not modify it. Results' Indices are shared, read-only slices.
// The zero Set is empty and ready to use.
type Set struct {
	cur atomic.Pointer[setView] // what readers see; replaced after every Append

	mu        sync.Mutex // guards everything below
	seed      maphash.Seed
	chunks    []*eventChunk
	n         int
	types     []uint32 // per event: index into typeNames
	refs      []eventRefs
	typeNames []string
	typeLower []string
	typeIndex map[string]uint32
	typeCount []int
	dict      dictionary
	dictIndex hashIndex // value numbers by the hash of the value
	idIndex   hashIndex // event numbers by the hash of the event's id
	templates []uint32  // dictionary values that are summary templates with placeholders
	longest   int       // bytes in the longest summary, which bounds a needle that can cross a placeholder
	scratch   searchFields
	tmpl      []byte
	occs      []occurrence
}

// chunkSize events are stored per chunk: big enough to amortise, small
// enough that the partly filled last chunk costs little.
const chunkSize = 4096

// eventChunk is fixed-size so that an appended event never moves.
type eventChunk [chunkSize]Event

// eventRefs numbers an event's searched values in the dictionary; 0 is the
// empty value.
type eventRefs [numCols]uint32

// match tests six columns in one expression.
var _ = [1]struct{}{}[numCols-6]

// dictionary holds each distinct searched value once: value v is
// data[off[v]:off[v+1]-1], followed by a NUL that a needle cannot span.
type dictionary struct {
	data []byte
	off  []int
}

func (d dictionary) len() int { return len(d.off) - 1 }

func (d dictionary) value(v uint32) []byte { return d.data[d.off[v] : d.off[v+1]-1] }

// setView is an immutable snapshot of the first n events. Slices alias the
// writer's arrays, which are only ever written beyond the snapshot's lengths.
type setView struct {
	n         int
	chunks    []*eventChunk
	types     []uint32
	refs      []eventRefs
	typeNames []string
	typeLower []string
	dict      dictionary
	templates []uint32
	longest   int
}

var emptyView = &setView{dict: dictionary{data: []byte{0}, off: []int{0, 1}}}

func (s *Set) view() *setView {
	if v := s.cur.Load(); v != nil {
		return v
	}
	return emptyView
}

// Len is the number of events loaded.
func (s *Set) Len() int { return s.view().n }

// At returns the i-th event in display order, or nil when i is out of range.
func (s *Set) At(i int) *Event { return s.view().at(i) }

func (v *setView) at(i int) *Event {
	if i < 0 || i >= v.n {
		return nil
	}
	return &v.chunks[i/chunkSize][i%chunkSize]
}

// maxEvents is how many events a Set holds: indices are int32. Append adds
// no more beyond it.
const maxEvents = math.MaxInt32

// Append adds the events whose ids it has not seen, in order, and returns
// how many it added: a retried or overlapping page adds nothing twice.
// Events without an id cannot be told apart and are always added.
func (s *Set) Append(events []Event) (added int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.typeIndex == nil {
		s.init()
	}
	for i := range events {
		e := &events[i]
		if s.n >= maxEvents {
			break
		}
		if e.ID != "" && s.seen(e.ID) {
			continue
		}
		if s.n%chunkSize == 0 && s.n/chunkSize == len(s.chunks) {
			s.chunks = append(s.chunks, new(eventChunk))
		}
		stored := &s.chunks[s.n/chunkSize][s.n%chunkSize]
		*stored = *e
		if stored.ID != "" {
			s.remember(stored.ID, int32(s.n))
		}
		s.types = append(s.types, s.typeNumber(stored.Type))
		s.scratch.fill(stored)
		var r eventRefs
		for c := range colSummary {
			r[c] = s.intern(s.scratch[c])
		}
		s.longest = max(s.longest, len(s.scratch[colSummary]))
		s.tmpl, s.occs = appendTemplate(s.tmpl[:0], s.occs[:0], &s.scratch)
		r[colSummary] = s.intern(s.tmpl)
		if r[colSummary] == uint32(s.dict.len()-1) && bytes.IndexByte(s.tmpl, placeholder) >= 0 {
			s.templates = append(s.templates, r[colSummary])
		}
		s.refs = append(s.refs, r)
		s.n++
		added++
	}
	if added > 0 {
		s.cur.Store(&setView{
			n: s.n, chunks: s.chunks, types: s.types, refs: s.refs,
			typeNames: s.typeNames, typeLower: s.typeLower, dict: s.dict, templates: s.templates, longest: s.longest,
		})
	}
	return added
}

func (s *Set) init() {
	s.seed = maphash.MakeSeed()
	s.typeIndex = map[string]uint32{}
	s.dict = dictionary{data: []byte{0}, off: []int{0, 1}}
}

// seen reports whether an event with this id is already stored.
func (s *Set) seen(id string) bool {
	_, ok := s.idIndex.lookup(maphash.String(s.seed, id), func(i uint32) bool { return s.event(i).ID == id })
	return ok
}

func (s *Set) remember(id string, i int32) {
	s.idIndex.insert(maphash.String(s.seed, id), uint32(i))
}

func (s *Set) event(i uint32) *Event { return &s.chunks[i/chunkSize][i%chunkSize] }

func (s *Set) typeNumber(t string) uint32 {
	if n, ok := s.typeIndex[t]; ok {
		s.typeCount[n]++
		return n
	}
	n := uint32(len(s.typeNames))
	s.typeIndex[t] = n
	s.typeNames = append(s.typeNames, t)
	s.typeLower = append(s.typeLower, lowerString(t))
	s.typeCount = append(s.typeCount, 1)
	return n
}

// intern returns the number of value val, adding it when new.
func (s *Set) intern(val []byte) uint32 {
	if len(val) == 0 {
		return 0
	}
	h := maphash.Bytes(s.seed, val)
	if v, ok := s.dictIndex.lookup(h, func(v uint32) bool { return bytes.Equal(s.dict.value(v), val) }); ok {
		return v
	}
	v := uint32(s.dict.len())
	s.dict.data = append(s.dict.data, val...)
	s.dict.data = append(s.dict.data, 0)
	s.dict.off = append(s.dict.off, len(s.dict.data))
	s.dictIndex.insert(h, v)
	return v
}

// hashIndex finds numbered things (events, values) by hash with open
// addressing: 8 bytes a slot where a map would spend about 30 per entry,
// and no copy of the key, which is compared where it is stored. A slot
// keeps the top half of the hash beside the number, so that a probe
// rarely reads the key (a cache miss per event) and growing never does.
type hashIndex struct {
	slots []uint64 // hash>>32 <<32 | number+1; 0 is free
	used  int
}

// lookup returns the number under hash h for which same is true.
func (x *hashIndex) lookup(h uint64, same func(n uint32) bool) (uint32, bool) {
	if len(x.slots) == 0 {
		return 0, false
	}
	tag, mask := h>>32, uint64(len(x.slots)-1)
	for i := tag & mask; ; i = (i + 1) & mask {
		switch v := x.slots[i]; {
		case v == 0:
			return 0, false
		case v>>32 == tag && same(uint32(v)-1):
			return uint32(v) - 1, true
		}
	}
}

// insert adds n under hash h.
func (x *hashIndex) insert(h uint64, n uint32) {
	if (x.used+1)*4 > len(x.slots)*3 {
		old := x.slots
		x.slots = make([]uint64, max(1024, 2*len(old)))
		x.used = 0
		for _, v := range old {
			if v != 0 {
				x.place(v)
			}
		}
	}
	x.place(h>>32<<32 | uint64(n+1))
}

// place puts a slot's value at the first free slot from where its hash
// points; the table's size is at most 1<<32, so the tag is enough.
func (x *hashIndex) place(slot uint64) {
	mask := uint64(len(x.slots) - 1)
	i := slot >> 32 & mask
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = slot
	x.used++
}

// TypeCounts counts events by type: over every loaded event when indices
// is nil, else over those indices (out-of-range ones are ignored).
func (s *Set) TypeCounts(indices []int32) map[string]int {
	if indices == nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		counts := make(map[string]int, len(s.typeNames))
		for n, c := range s.typeCount {
			counts[s.typeNames[n]] = c
		}
		return counts
	}
	v := s.view()
	per := make([]int, len(v.typeNames))
	for _, i := range indices {
		if i >= 0 && int(i) < v.n {
			per[v.types[i]]++
		}
	}
	counts := make(map[string]int, len(per))
	for n, c := range per {
		if c > 0 {
			counts[v.typeNames[n]] = c
		}
	}
	return counts
}

// Filter returns the indices, in display order, of the events m matches:
// among within when it is not nil (indices from an earlier result, in
// increasing order; out-of-range ones are dropped), else among every event
// loaded when Filter starts. It returns ctx's error as soon as it notices
// ctx is done.
func (s *Set) Filter(ctx context.Context, m Matcher, within []int32) ([]int32, error) {
	v := s.view()
	if within == nil {
		return v.filterRange(ctx, m, 0, v.n)
	}
	return v.filterWithin(ctx, m, within)
}

// FilterRange returns the indices in [from, to) of the events m matches;
// to is clipped to the events loaded when it starts. Use it to extend a
// result with the events appended since.
func (s *Set) FilterRange(ctx context.Context, m Matcher, from, to int) ([]int32, error) {
	v := s.view()
	from = max(from, 0)
	to = min(to, v.n)
	if from >= to {
		return []int32{}, ctx.Err()
	}
	return v.filterRange(ctx, m, from, to)
}

// Result is what a filter found: the indices of the events Matcher matches
// among the first Scanned events of a Set. Indices is read-only: refined
// results may share its storage.
type Result struct {
	Matcher Matcher
	Indices []int32
	Scanned int
	hits    *valueHits // the plan's dictionary hits, so that a longer needle scans only them
}

// valueHits are the dictionary values (of the first values) that contain
// needle: those a needle containing it can be in.
type valueHits struct {
	needle []byte
	bits   []uint64
	values int
}

// Refine brings a result up to date for m and the events loaded now: it
// narrows prev's indices when m narrows prev.Matcher, and in any case only
// looks at events appended since prev for the rest; otherwise it filters
// from scratch. The zero Result is a valid prev. prev must come from s.
func (s *Set) Refine(ctx context.Context, m Matcher, prev Result) (Result, error) {
	v := s.view()
	if prev.Scanned < 0 || prev.Scanned > v.n || !m.Narrows(prev.Matcher) {
		if m.IsEmpty() {
			idx, err := v.filterRange(ctx, m, 0, v.n)
			return Result{Matcher: m, Indices: idx, Scanned: v.n}, err
		}
		p, err := v.plan(ctx, m, prev.hits)
		if err != nil {
			return Result{}, err
		}
		idx, err := p.inRange(ctx, 0, v.n)
		return p.result(m, idx), err
	}
	old := prev.Indices
	narrow := !m.Equal(prev.Matcher) && len(old) > 0
	if !narrow && prev.Scanned == v.n {
		return Result{Matcher: m, Indices: old, Scanned: v.n, hits: prev.hits}, nil
	}
	// One plan for both halves: it costs a scan of the dictionary.
	p, err := v.plan(ctx, m, prev.hits)
	if err != nil {
		return Result{}, err
	}
	if !m.Equal(prev.Matcher) {
		if old, err = p.within(ctx, old); err != nil {
			return Result{}, err
		}
	}
	if prev.Scanned == v.n {
		return p.result(m, old), nil
	}
	add, err := p.inRange(ctx, prev.Scanned, v.n)
	if err != nil {
		return Result{}, err
	}
	if len(old) == 0 {
		return p.result(m, add), nil
	}
	// Clip so that appending never writes into an array another result shares.
	return p.result(m, append(slices.Clip(old), add...)), nil
}

// result is the Result of m whose indices p found among every event of its view.
func (p *plan) result(m Matcher, indices []int32) Result {
	r := Result{Matcher: m, Indices: indices, Scanned: p.v.n}
	if p.hits != nil {
		r.hits = &valueHits{needle: p.needle, bits: p.hits, values: p.v.dict.len()}
	}
	return r
}

// Summaries repeat the actor's email, the IP, ids and names, which makes
// nearly every one distinct. The index stores each summary as a template
// instead: every occurrence of one of the event's own searched values is
// replaced by a placeholder naming it, so "bob@x.com signed in from 10.0.0.1"
// and "amy@y.org signed in from 10.0.0.9" share one dictionary value.
// A needle inside a template's text or inside a value is found by the
// dictionary scan; a needle that may run across a placeholder's edge
// ("x.com signed") becomes rules on the values next to the edge ("ends with
// x.com"), checked on just the events with such a template.
//
// A placeholder is 0xFF followed by a byte 0x80|column<<4|k naming the k-th
// value of a column. Lower-cased text is valid UTF-8, so it never contains
// 0xFF and never starts with the continuation byte: a needle can neither
// match a placeholder nor run into one in the dictionary.
const (
	placeholder    = 0xFF
	minTemplateVal = 4  // shorter values are left in the text: too many chance hits
	maxTemplateVal = 16 // per column, what a code byte can name
)

type occurrence struct {
	at, n int
	code  byte
}

// appendTemplate appends f's summary with its own values replaced by
// placeholders; occs is scratch space, returned for reuse.
func appendTemplate(dst []byte, occs []occurrence, f *searchFields) ([]byte, []occurrence) {
	sum := f[colSummary]
	for c := range colSummary {
		for k, val := range subValues(f[c]) {
			if k >= maxTemplateVal {
				break
			}
			if len(val) < minTemplateVal {
				continue
			}
			for off := 0; ; {
				i := bytes.Index(sum[off:], val)
				if i < 0 {
					break
				}
				occs = append(occs, occurrence{at: off + i, n: len(val), code: byte(0x80 | c<<4 | k)})
				off += i + 1
			}
		}
	}
	// Earliest first, and the longest of those starting at the same place.
	slices.SortFunc(occs, func(a, b occurrence) int {
		if a.at != b.at {
			return a.at - b.at
		}
		return b.n - a.n
	})
	pos := 0
	for _, o := range occs {
		if o.at < pos {
			continue
		}
		dst = append(dst, sum[pos:o.at]...)
		dst = append(dst, placeholder, o.code)
		pos = o.at + o.n
	}
	return append(dst, sum[pos:]...), occs
}

// subValues iterates over the NUL-separated values of a column.
func subValues(col []byte) func(yield func(int, []byte) bool) {
	return func(yield func(int, []byte) bool) {
		for k := 0; len(col) > 0; k++ {
			val, rest, _ := bytes.Cut(col, []byte{0})
			if !yield(k, val) {
				return
			}
			col = rest
		}
	}
}

// subValue returns the k-th NUL-separated value of a column.
func subValue(col []byte, k int) []byte {
	for ; k > 0; k-- {
		i := bytes.IndexByte(col, 0)
		if i < 0 {
			return nil
		}
		col = col[i+1:]
	}
	if i := bytes.IndexByte(col, 0); i >= 0 {
		return col[:i]
	}
	return col
}

// expand appends the summary template t with event r's values put back.
func (v *setView) expand(dst, t []byte, r *eventRefs) []byte {
	for {
		i := bytes.IndexByte(t, placeholder)
		if i < 0 || i+1 == len(t) {
			return append(dst, t...)
		}
		dst = append(dst, t[:i]...)
		code := t[i+1] &^ 0x80
		dst = append(dst, subValue(v.dict.value(r[code>>4]), int(code&0x0f))...)
		t = t[i+2:]
	}
}

// edgeRule is one way a needle can run across the edge of a placeholder in
// a template: the needle starts in the text before the value and the value
// must start with s, or it starts in the value, which must end with s, and
// goes on into the text after it.
type edgeRule struct {
	code   byte // the placeholder's code: column and value
	suffix bool // the value must end with s; else start with it
	s      []byte
	// more: the needle runs on past the text after the value, into the
	// next value; a value ending with s only makes the event a candidate.
	more bool
}

// edgeRules are the ways needle may occur in an expansion of template t
// across a placeholder's edge; expand is set when two values touch and
// only the expanded summary can tell. ok is false when it cannot happen.
func edgeRules(needle, t []byte) (rules []edgeRule, expand, ok bool) {
	if len(needle) < 2 {
		return nil, false, false
	}
	prevEnd := -1 // where the previous placeholder ended; -1 before the first
	for i := 0; i+1 < len(t); i++ {
		if t[i] != placeholder {
			continue
		}
		code := t[i+1]
		left := t[max(prevEnd, 0):i]
		if len(left) == 0 && prevEnd >= 0 {
			expand = true // the needle may run from the previous value into this one
		}
		// Starts in the text before: a suffix of it is the needle's start.
		for j := 1; j <= len(left) && j < len(needle); j++ {
			if bytes.Equal(needle[:j], left[len(left)-j:]) {
				rules = append(rules, edgeRule{code: code, s: needle[j:]})
			}
		}
		right := t[i+2:]
		next := bytes.IndexByte(right, placeholder)
		if next >= 0 {
			right = right[:next]
		}
		// Starts in the value and runs into the text after it.
		for j := 1; j < len(needle) && len(right) > 0; j++ {
			rest := needle[j:]
			if len(rest) <= len(right) {
				if bytes.Equal(rest, right[:len(rest)]) {
					rules = append(rules, edgeRule{code: code, suffix: true, s: needle[:j]})
				}
			} else if next >= 0 && bytes.Equal(rest[:len(right)], right) {
				rules = append(rules, edgeRule{code: code, suffix: true, s: needle[:j], more: true})
			}
		}
		prevEnd = i + 2
		i++
	}
	return rules, expand, len(rules) > 0 || expand
}

// straddleRules is what a plan knows about one template the needle may cross.
type straddleRules struct {
	rules  []edgeRule
	expand bool
}

// straddles reports whether the needle occurs across a placeholder's edge
// in event r's summary, whose template has rules sr.
func (p *partMatcher) straddles(sr *straddleRules, r *eventRefs) bool {
	expand := sr.expand
	for _, ru := range sr.rules {
		c := ru.code &^ 0x80
		val := subValue(p.v.dict.value(r[c>>4]), int(c&0x0f))
		switch {
		case ru.suffix:
			if bytes.HasSuffix(val, ru.s) {
				if !ru.more {
					return true
				}
				expand = true
			}
		case len(val) >= len(ru.s):
			if bytes.HasPrefix(val, ru.s) {
				return true
			}
		case bytes.HasPrefix(ru.s, val):
			expand = true // the needle runs on past the value
		}
	}
	if !expand {
		return false
	}
	p.buf = p.v.expand(p.buf[:0], p.v.dict.value(r[colSummary]), r)
	return bytes.Contains(p.buf, p.needle)
}

// Per-type verdicts of a plan.
const (
	rejectType  = iota // the type is not allowed or cannot match
	acceptType         // every event of the type matches
	checkValues        // the type is allowed; the free text decides
)

// plan is a Matcher resolved against one view: a verdict per type and,
// for free text, which dictionary values contain the needle and which
// summary templates may contain it across a placeholder.
type plan struct {
	v       *setView
	needle  []byte
	verdict []uint8
	hits    []uint64 // bit set per dictionary value; nil when no type needs it
	// straddle holds, by dictionary value, the rules of each template the
	// needle may cross; nil when there are none.
	straddle []*straddleRules
}

// checkEvery is how many events are examined between looks at ctx.
const checkEvery = 1 << 14

// plan resolves m against v; from, when not nil, are the hits of a needle
// m's may contain, which spares scanning the dictionary again.
func (v *setView) plan(ctx context.Context, m Matcher, from *valueHits) (*plan, error) {
	p := &plan{v: v, verdict: make([]uint8, len(v.typeNames))}
	needValues := false
	for t, lt := range v.typeLower {
		switch {
		case !m.allowsType(v.typeNames[t]):
		case m.matchType(lt):
			p.verdict[t] = acceptType
		case m.kind == matchText:
			p.verdict[t] = checkValues
			needValues = true
		}
	}
	if !needValues {
		return p, nil
	}
	p.needle = []byte(m.text)
	p.hits = make([]uint64, (v.dict.len()+63)/64)
	data, off := v.dict.data, v.dict.off
	pos, val := 0, 0
	if from != nil && from.values <= v.dict.len() && bytes.Contains(p.needle, from.needle) {
		// Only values holding the shorter needle can hold this one: test
		// those, then scan the values added since.
		for w, bits := range from.bits {
			for ; bits != 0; bits &= bits - 1 {
				h := w*64 + mathbits.TrailingZeros64(bits)
				if bytes.Contains(v.dict.value(uint32(h)), p.needle) {
					p.hits[h/64] |= 1 << (h % 64)
				}
			}
		}
		val = from.values
		pos = off[val]
	}
	for hits := 1; ; hits++ {
		if hits%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		at := bytes.Index(data[pos:], p.needle)
		if at < 0 {
			break
		}
		at += pos
		for off[val+1] <= at {
			val++
		}
		p.hits[val/64] |= 1 << (val % 64)
		pos = off[val+1]
	}
	for _, t := range v.templates {
		if len(p.needle) > v.longest {
			break // fits in no summary (a long paste): nothing to cross
		}
		if hasBit(p.hits, t) {
			continue
		}
		if rules, expand, ok := edgeRules(p.needle, v.dict.value(t)); ok {
			if p.straddle == nil {
				p.straddle = make([]*straddleRules, v.dict.len())
			}
			p.straddle[t] = &straddleRules{rules: rules, expand: expand}
		}
	}
	return p, ctx.Err()
}

func hasBit(bits []uint64, i uint32) bool { return bits[i/64]&(1<<(i%64)) != 0 }

// partMatcher is one goroutine's share of a plan: its own scratch space for
// expanding summaries.
type partMatcher struct {
	*plan
	buf []byte
}

// match reports whether event i matches.
func (p *partMatcher) match(i int32) bool {
	switch p.verdict[p.v.types[i]] {
	case acceptType:
		return true
	case checkValues:
		r := &p.v.refs[i]
		h := p.hits
		// One test for the numCols values instead of numCols branches.
		if (h[r[0]/64]>>(r[0]%64)|h[r[1]/64]>>(r[1]%64)|h[r[2]/64]>>(r[2]%64)|
			h[r[3]/64]>>(r[3]%64)|h[r[4]/64]>>(r[4]%64)|h[r[5]/64]>>(r[5]%64))&1 != 0 {
			return true
		}
		if p.straddle != nil && p.straddle[r[colSummary]] != nil {
			return p.straddles(p.straddle[r[colSummary]], r)
		}
	}
	return false
}

// filterWorkers is how many goroutines share a large filter.
var filterWorkers = runtime.NumCPU()

// parallelMin is the fewest events worth a second goroutine.
const parallelMin = 1 << 16

func (v *setView) filterRange(ctx context.Context, m Matcher, from, to int) ([]int32, error) {
	if m.IsEmpty() {
		out := make([]int32, to-from)
		for i := range out {
			if i%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			out[i] = int32(from + i)
		}
		return out, nil
	}
	p, err := v.plan(ctx, m, nil)
	if err != nil {
		return nil, err
	}
	return p.inRange(ctx, from, to)
}

func (v *setView) filterWithin(ctx context.Context, m Matcher, within []int32) ([]int32, error) {
	p, err := v.plan(ctx, m, nil)
	if err != nil {
		return nil, err
	}
	return p.within(ctx, within)
}

// inRange returns the matching events among from .. to-1.
func (p *plan) inRange(ctx context.Context, from, to int) ([]int32, error) {
	return p.run(ctx, to-from, func(pm *partMatcher, lo, hi int) ([]int32, error) {
		out := make([]int32, 0, hi-lo)
		for k := lo; k < hi; k++ {
			if (k-lo)%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			if i := int32(from + k); pm.match(i) {
				out = append(out, i)
			}
		}
		return out, nil
	})
}

// within returns the matching events among within; out-of-range indices are dropped.
func (p *plan) within(ctx context.Context, within []int32) ([]int32, error) {
	n := int32(p.v.n)
	return p.run(ctx, len(within), func(pm *partMatcher, lo, hi int) ([]int32, error) {
		out := make([]int32, 0, hi-lo)
		for k, i := range within[lo:hi] {
			if k%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			if i >= 0 && i < n && pm.match(i) {
				out = append(out, i)
			}
		}
		return out, nil
	})
}

// run splits count events among filterWorkers goroutines when there are
// many, has each examine its share with part, and joins the matches in order.
func (p *plan) run(ctx context.Context, count int, part func(pm *partMatcher, lo, hi int) ([]int32, error)) ([]int32, error) {
	workers := min(filterWorkers, max(count/parallelMin, 1))
	parts := make([][]int32, workers)
	errs := make([]error, workers)
	share := func(w int) {
		lo, hi := count*w/workers, count*(w+1)/workers
		parts[w], errs[w] = part(&partMatcher{plan: p}, lo, hi)
	}
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Go(func() { share(w) })
	}
	share(0)
	wg.Wait()
	total := 0
	for w := range workers {
		if errs[w] != nil {
			return nil, errs[w]
		}
		total += len(parts[w])
	}
	if workers == 1 {
		// Room was made for every event; keep a big array only if it is used.
		if len(parts[0]) < cap(parts[0])/4 {
			return slices.Clone(parts[0]), nil
		}
		return parts[0], nil
	}
	out := make([]int32, 0, total)
	for _, part := range parts {
		out = append(out, part...)
	}
	return out, nil
}
