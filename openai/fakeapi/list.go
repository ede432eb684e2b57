package fakeapi

import (
	"encoding/json"
	"math/rand/v2"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/tidwall/gjson"
)

// listQuery is one validated list request: the filter parameters as the
// spec names them, read by this server on its own (see selects), not by the
// client's model.Filter.Match, so that a client assumption the API may not
// share shows up in the tests.
type listQuery struct {
	types, actorIDs, actorEmails, projectIDs, resourceIDs []string
	// Bounds on effective_at, in Unix seconds; nil when not given.
	gt, gte, lt, lte *time.Time
	tenantOnly       bool
	limit            int
	after            string
	before           string
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
		limit:       defaultLim,
		after:       v.Get(pAfter),
		before:      v.Get(pBefore),
		types:       v[pEventTypes],
		actorIDs:    v[pActorIDs],
		actorEmails: v[pActorEmails],
		projectIDs:  v[pProjectIDs],
		resourceIDs: v[pResourceIDs],
	}
	// The spec types event_types[] items as the AuditLogEventType enum, so
	// this server refuses a name outside it with a 400 naming param and
	// value. Whether the real API refuses, or answers an empty list, and in
	// what words, is not known: this is the fake's strict reading.
	for _, t := range q.types {
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
			q.gte = &t
		case pLT:
			q.lt = &t
		case pLTE:
			q.lte = &t
		}
	}
	if raw, ok := one(v, pTenantOnly); ok {
		// Only the spellings the SDK sends; "1" or "True" are refused.
		if raw != "true" && raw != "false" {
			return listQuery{}, &apiError{"Invalid value for 'tenant_only': expected true or false, but got '" + raw + "' instead.", pTenantOnly, "invalid_type"}
		}
		q.tenantOnly = raw == "true"
	}
	// tenant_only splits the log in two: tenant-scoped events come only
	// with it, and then nothing else does. Asking for one side's type from
	// the other is refused rather than answered with nothing.
	for _, t := range q.types {
		switch {
		case q.tenantOnly && !tenantScoped(t):
			return listQuery{}, &apiError{"Invalid value for '" + pEventTypes + "': '" + t + "' is not tenant-scoped; with tenant_only=true every event type must be tenant-scoped.", pEventTypes, "invalid_value"}
		case !q.tenantOnly && tenantScoped(t):
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

// tenantScoped is this server's reading of which types tenant_only is
// "required for": the spec names role.bound_to_resource and
// role.unbound_from_resource, and the enum's tenant.* types say so by name.
// It is deliberately not the client's catalogue flag.
func tenantScoped(t string) bool {
	return strings.HasPrefix(t, "tenant.") || t == "role.bound_to_resource" || t == "role.unbound_from_resource"
}

// match reports whether a listing under q includes e: the events its filter
// parameters select, tenant-scoped ones only under tenant_only and then
// nothing else.
func (q *listQuery) match(e *model.Event) bool {
	return q.tenantOnly == tenantScoped(e.Type) && q.selects(e)
}

// selects applies the filter parameters as the spec describes them. Where
// the spec does not say how values compare, the strict reading is taken:
// exact, case-sensitive strings (an email in another case matches nothing),
// and only the fields the schema gives each parameter, read from the record
// as sent rather than from the client's decoded Event.
func (q *listQuery) selects(e *model.Event) bool {
	at := e.EffectiveAt
	switch {
	case len(q.types) > 0 && !slices.Contains(q.types, e.Type),
		q.gt != nil && !at.After(*q.gt),
		q.gte != nil && at.Before(*q.gte),
		q.lt != nil && !at.Before(*q.lt),
		q.lte != nil && at.After(*q.lte):
		return false
	}
	if len(q.projectIDs)+len(q.actorIDs)+len(q.actorEmails)+len(q.resourceIDs) == 0 {
		return true
	}
	r := gjson.ParseBytes(e.Raw)
	return anyIn(q.projectIDs, r, "project.id") &&
		// "performed by these actors. Can be a user ID, a service account
		// ID, or an api key tracking ID."
		anyIn(q.actorIDs, r, "actor.session.user.id", "actor.api_key.id", "actor.api_key.user.id", "actor.api_key.service_account.id") &&
		// "performed by users with these emails."
		anyIn(q.actorEmails, r, "actor.session.user.email", "actor.api_key.user.email") &&
		// "performed on these targets": the payload's id (details.id), and
		// the ids of the certificates or configs the schema lists it acting on.
		anyIn(q.resourceIDs, gjson.ParseBytes(e.Payload), "id", "certificates.#.id", "configs.#.id")
}

// anyIn reports whether want is empty or one of the string values at paths
// in r (a path may name a list of them) is in want.
func anyIn(want []string, r gjson.Result, paths ...string) bool {
	if len(want) == 0 {
		return true
	}
	for _, p := range paths {
		v := r.Get(p)
		for _, x := range append(v.Array(), v) {
			if x.Type == gjson.String && slices.Contains(want, x.Str) {
				return true
			}
		}
	}
	return false
}

// Listed is every event a listing with f's parameters returns, newest first:
// what a client paging through the endpoint should end up with.
func Listed(events []model.Event, f model.Filter) []model.Event {
	q := queryOf(f)
	var out []model.Event
	for i := range events {
		if q.match(&events[i]) {
			out = append(out, events[i])
		}
	}
	slices.SortStableFunc(out, func(a, b model.Event) int { return b.EffectiveAt.Compare(a.EffectiveAt) })
	return out
}

// Selects reports whether the endpoint's filter parameters, sent as a
// client sends f, select e (the tenant_only split aside): the server's side
// of the pushdown tests.
func Selects(f model.Filter, e *model.Event) bool {
	q := queryOf(f)
	return q.selects(e)
}

// queryOf is the request a client sends for f.
func queryOf(f model.Filter) listQuery {
	q := listQuery{types: f.Types, actorIDs: f.ActorIDs, actorEmails: f.ActorEmails,
		projectIDs: f.ProjectIDs, resourceIDs: f.ResourceIDs, tenantOnly: f.TenantOnly}
	if !f.Since.IsZero() {
		q.gte = &f.Since
	}
	if !f.Until.IsZero() {
		q.lt = &f.Until
	}
	return q
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
	if q.lt != nil && (newest == nil || !q.lt.After(*newest)) {
		t := q.lt.Add(-time.Nanosecond)
		newest = &t
	}
	if newest != nil {
		lo = sort.Search(len(s.events), func(i int) bool { return !s.events[i].EffectiveAt.After(*newest) })
	}
	oldest := q.gt // exclusive
	if q.gte != nil {
		t := q.gte.Add(-time.Nanosecond)
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
	if q.before != "" {
		// The page just newer than the cursor, still served newest first.
		p := s.scan(&q, min(s.index[q.before], hi)-1, lo-1, -1)
		slices.Reverse(p.idx)
		return p
	}
	start := lo
	if q.after != "" {
		start = max(lo, s.index[q.after]+1)
	}
	return s.scan(&q, start, hi, 1)
}

// scan collects up to q.limit positions that q matches, from i towards end
// (not included) by step, and whether more lie beyond them.
func (s *Server) scan(q *listQuery, i, end, step int) page {
	var p page
	for ; (step > 0 && i < end) || (step < 0 && i > end); i += step {
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
