package fakeapi

import (
	"encoding/json"
	"math/rand/v2"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/auditui/auditui/model"
)

// listQuery is one validated list request.
type listQuery struct {
	filter model.Filter
	// gt and lte are the bounds model.Filter lacks (it has an inclusive Since
	// and an exclusive Until); nil when not given.
	gt, lte *time.Time
	limit   int
	after   string
	before  string
}

type apiError struct{ message, param, code string }

// Parameter names exactly as the spec spells them on the wire.
const (
	pEventTypes  = "event_types[]"
	pActorIDs    = "actor_ids[]"
	pActorEmails = "actor_emails[]"
	pProjectIDs  = "project_ids[]"
	pResourceIDs = "resource_ids[]"
	pGT          = "effective_at[gt]"
	pGTE         = "effective_at[gte]"
	pLT          = "effective_at[lt]"
	pLTE         = "effective_at[lte]"
	pLimit       = "limit"
	pAfter       = "after"
	pBefore      = "before"
	pTenantOnly  = "tenant_only"
)

var (
	listParams   = []string{pEventTypes, pActorIDs, pActorEmails, pProjectIDs, pResourceIDs}
	scalarParams = []string{pGT, pGTE, pLT, pLTE, pLimit, pAfter, pBefore, pTenantOnly}
)

func (s *Server) parseQuery(v url.Values) (listQuery, *apiError) {
	for name := range v {
		if !slices.Contains(listParams, name) && !slices.Contains(scalarParams, name) {
			return listQuery{}, &apiError{"Unknown parameter: '" + name + "'.", name, "unknown_parameter"}
		}
	}
	for _, name := range scalarParams {
		if len(v[name]) > 1 {
			return listQuery{}, &apiError{"Invalid value for '" + name + "': it may be given only once.", name, "invalid_value"}
		}
	}
	q := listQuery{
		limit:  defaultLim,
		after:  v.Get(pAfter),
		before: v.Get(pBefore),
		filter: model.Filter{
			Types:       v[pEventTypes],
			ActorIDs:    v[pActorIDs],
			ActorEmails: v[pActorEmails],
			ProjectIDs:  v[pProjectIDs],
			ResourceIDs: v[pResourceIDs],
		},
	}
	for _, t := range q.filter.Types {
		if !s.known[t] {
			return listQuery{}, &apiError{"Invalid value for '" + pEventTypes + "': '" + t + "' is not a known audit log event type.", pEventTypes, "invalid_value"}
		}
	}
	if raw, ok := one(v, pLimit); ok {
		n, err := strconv.Atoi(raw)
		switch {
		case err != nil:
			return listQuery{}, &apiError{"Invalid value for 'limit': expected an integer, but got '" + raw + "' instead.", pLimit, "invalid_type"}
		case n < 1:
			return listQuery{}, &apiError{"Invalid value for 'limit': integer below minimum value. Expected a value >= 1, but got " + raw + " instead.", pLimit, "integer_below_min_value"}
		case n > maxLim:
			return listQuery{}, &apiError{"Invalid value for 'limit': integer above maximum value. Expected a value <= 100, but got " + raw + " instead.", pLimit, "integer_above_max_value"}
		}
		q.limit = n
	}
	for _, name := range []string{pGT, pGTE, pLT, pLTE} {
		raw, ok := one(v, name)
		if !ok {
			continue
		}
		secs, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return listQuery{}, &apiError{"Invalid value for '" + name + "': expected an integer (Unix seconds), but got '" + raw + "' instead.", name, "invalid_type"}
		}
		t := time.Unix(secs, 0).UTC()
		switch name {
		case pGT:
			q.gt = &t
		case pGTE:
			q.filter.Since = t
		case pLT:
			q.filter.Until = t
		case pLTE:
			q.lte = &t
		}
	}
	if raw, ok := one(v, pTenantOnly); ok {
		// Only the spellings the SDK sends; "1" or "True" are refused.
		if raw != "true" && raw != "false" {
			return listQuery{}, &apiError{"Invalid value for 'tenant_only': expected true or false, but got '" + raw + "' instead.", pTenantOnly, "invalid_type"}
		}
		q.filter.TenantOnly = raw == "true"
	}
	// tenant_only splits the log in two: tenant-scoped events come only
	// with it, and then nothing else does. Asking for one side's type from
	// the other is refused rather than answered with nothing.
	for _, t := range q.filter.Types {
		switch {
		case q.filter.TenantOnly && !model.IsTenantType(t):
			return listQuery{}, &apiError{"Invalid value for '" + pEventTypes + "': '" + t + "' is not tenant-scoped; with tenant_only=true every event type must be tenant-scoped.", pEventTypes, "invalid_value"}
		case !q.filter.TenantOnly && model.IsTenantType(t):
			return listQuery{}, &apiError{"Invalid value for '" + pEventTypes + "': '" + t + "' is tenant-scoped and is listed only with tenant_only=true.", pEventTypes, "invalid_value"}
		}
	}
	if q.after != "" && q.before != "" {
		return listQuery{}, &apiError{"Only one of 'after' and 'before' may be given.", pBefore, "invalid_value"}
	}
	for _, c := range []struct{ name, id string }{{pAfter, q.after}, {pBefore, q.before}} {
		if _, ok := s.index[c.id]; c.id != "" && !ok {
			return listQuery{}, &apiError{"Invalid value for '" + c.name + "': no audit log with id '" + c.id + "' exists.", c.name, "invalid_value"}
		}
	}
	return q, nil
}

// one returns the single value of a scalar parameter; an empty value counts
// as absent, as the SDK never sends one.
func one(v url.Values, name string) (string, bool) {
	s := v.Get(name)
	return s, s != ""
}

func (q *listQuery) match(e *model.Event) bool {
	if q.gt != nil && !e.EffectiveAt.After(*q.gt) {
		return false
	}
	if q.lte != nil && e.EffectiveAt.After(*q.lte) {
		return false
	}
	return lists(q.filter, e)
}

// lists reports whether a listing under f includes e: the events f matches,
// tenant-scoped ones only under tenant_only and then nothing else.
func lists(f model.Filter, e *model.Event) bool {
	return f.TenantOnly == model.IsTenantType(e.Type) && f.Match(e)
}

// Listed is every event a listing under f returns, newest first: what a
// client paging through the endpoint should end up with.
func Listed(events []model.Event, f model.Filter) []model.Event {
	var out []model.Event
	for i := range events {
		if lists(f, &events[i]) {
			out = append(out, events[i])
		}
	}
	slices.SortStableFunc(out, func(a, b model.Event) int { return b.EffectiveAt.Compare(a.EffectiveAt) })
	return out
}

// page is the answer to one list request: positions into Server.events.
type page struct {
	idx     []int
	hasMore bool
}

// window narrows the scan to the positions whose times can match, using the
// newest-first order so time-bounded queries over a million events stay fast.
func (s *Server) window(q *listQuery) (lo, hi int) {
	lo, hi = 0, len(s.events)
	newest := q.lte // the latest allowed time, inclusive
	if !q.filter.Until.IsZero() && (newest == nil || !q.filter.Until.After(*newest)) {
		t := q.filter.Until.Add(-time.Nanosecond)
		newest = &t
	}
	if newest != nil {
		lo = sort.Search(len(s.events), func(i int) bool { return !s.events[i].EffectiveAt.After(*newest) })
	}
	oldest := q.gt // exclusive
	if !q.filter.Since.IsZero() {
		t := q.filter.Since.Add(-time.Nanosecond)
		if oldest == nil || t.After(*oldest) {
			oldest = &t
		}
	}
	if oldest != nil {
		hi = sort.Search(len(s.events), func(i int) bool { return !s.events[i].EffectiveAt.After(*oldest) })
	}
	return lo, max(lo, hi)
}

func (s *Server) page(q listQuery) page {
	lo, hi := s.window(&q)
	var p page
	if q.before != "" {
		// The page just newer than the cursor, still served newest first.
		for i := min(s.index[q.before], hi) - 1; i >= lo; i-- {
			if !q.match(&s.events[i]) {
				continue
			}
			if len(p.idx) == q.limit {
				p.hasMore = true
				break
			}
			p.idx = append(p.idx, i)
		}
		slices.Reverse(p.idx)
		return p
	}
	start := lo
	if q.after != "" {
		start = max(lo, s.index[q.after]+1)
	}
	for i := start; i < hi; i++ {
		if !q.match(&s.events[i]) {
			continue
		}
		if len(p.idx) == q.limit {
			p.hasMore = true
			break
		}
		p.idx = append(p.idx, i)
	}
	return p
}

// encode writes the list response with each record's raw bytes verbatim.
func (p page) encode(events []model.Event) []byte {
	size := 64
	for _, i := range p.idx {
		size += len(events[i].Raw) + 1
	}
	b := make([]byte, 0, size+2*64)
	b = append(b, `{"object":"list","data":[`...)
	for n, i := range p.idx {
		if n > 0 {
			b = append(b, ',')
		}
		b = append(b, events[i].Raw...)
	}
	b = append(b, `],"first_id":`...)
	first, last := "", ""
	if len(p.idx) > 0 {
		first, last = events[p.idx[0]].ID, events[p.idx[len(p.idx)-1]].ID
	}
	b = appendNullableString(b, first)
	b = append(b, `,"last_id":`...)
	b = appendNullableString(b, last)
	b = append(b, `,"has_more":`...)
	b = strconv.AppendBool(b, p.hasMore)
	return append(b, '}')
}

func appendNullableString(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	q, err := json.Marshal(s)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, q...)
}

func (s *Server) randomJitter() time.Duration {
	if s.jitter <= 0 {
		return 0
	}
	return rand.N(s.jitter)
}
