package query

import (
	"slices"
	"time"

	"github.com/auditui/auditui/model"
)

// Where says where a term is evaluated.
type Where uint8

const (
	// Locally: the API cannot filter on it; loaded events are checked here.
	Locally Where = iota
	// OnServer: sent to the API as a filter parameter.
	OnServer
	// OnServerAndLocally: the API narrows (to whole seconds) and the exact
	// bound is checked here.
	OnServerAndLocally
)

func (w Where) String() string {
	switch w {
	case OnServer:
		return "server"
	case OnServerAndLocally:
		return "server+local"
	}
	return "local"
}

// TermPlacement is one term of the query and where it runs, for the query
// bar to mark.
type TermPlacement struct {
	Term  Term
	Where Where
}

// Plan is a query split between the API and local evaluation. The events it
// selects are exactly those Server.Match and Local (when not nil) both
// accept, which are exactly those the query matches.
type Plan struct {
	Server model.Filter
	Local  func(*model.Event) bool // nil when the server does everything
	Terms  []TermPlacement         // every term, in the order written

	// The free-text conjunct, and the local predicate without it, for
	// MatchWith; want and reject are nil when the query has no free text.
	want, reject []string
	notText      func(*model.Event) bool
}

// Match reports whether e is selected by the plan: the server's filter and
// the local predicate. Use it for events already loaded or read from files.
func (p Plan) Match(e *model.Event) bool {
	return p.Server.Match(e) && (p.Local == nil || p.Local(e))
}

// Compile splits q, with relative times counted back from now, into the
// filters the audit-log API supports and a local predicate for the rest.
// Pushed to the API: the positive set of types (type and category terms
// intersected, negated ones subtracted), actor emails or actor ids (not both:
// the API would AND them), project ids, resource ids and the time range.
// Local: negated actor, project and resource terms, project names, ip,
// country, category "other" and free text.
func Compile(q Query, now time.Time) Plan {
	q = q.At(now)
	var p Plan
	where := make([]Where, len(q.terms))
	onServer := make([]bool, len(q.groups))

	compileTypes(q, &p.Server, onServer)
	for gi, g := range q.groups {
		if g.negated {
			continue
		}
		switch g.key {
		case KeyActor:
			var emails, ids []string
			for _, i := range g.terms {
				if q.terms[i].email {
					emails = append(emails, q.terms[i].Value)
				} else {
					ids = append(ids, q.terms[i].Value)
				}
			}
			// actor_emails[] and actor_ids[] are ANDed by the API; the query ORs them.
			if len(emails) == 0 || len(ids) == 0 {
				p.Server.ActorEmails, p.Server.ActorIDs = dedupe(emails), dedupe(ids)
				onServer[gi] = true
			}
		case KeyProject:
			var ids []string
			names := false
			for _, i := range g.terms {
				if q.terms[i].projName {
					names = true
				} else {
					ids = append(ids, q.terms[i].Value)
				}
			}
			if !names {
				p.Server.ProjectIDs = dedupe(ids)
				onServer[gi] = true
			}
		case KeyIP:
			// Only a store can narrow by address (the API has no such
			// filter), so the group is still checked locally.
			var addrs []string
			for _, i := range g.terms {
				if pre := q.terms[i].prefix; pre.IsSingleIP() {
					addrs = append(addrs, pre.Addr().WithZone("").Unmap().String())
				} else {
					addrs = nil
					break
				}
			}
			p.Server.IPs = dedupe(addrs)
		case KeyResource:
			for _, i := range g.terms {
				p.Server.ResourceIDs = append(p.Server.ResourceIDs, q.terms[i].Value)
			}
			p.Server.ResourceIDs = dedupe(p.Server.ResourceIDs)
			onServer[gi] = true
		}
	}

	var local, notText []func(*model.Event) bool
	lo, hi, loAt, hiAt := bounds(q.terms)
	loExact, hiExact := true, true
	if loAt >= 0 {
		p.Server.Since = lo.Truncate(time.Second)
		if !p.Server.Since.Equal(lo) {
			// The API takes whole seconds: ask from the second before, finish here.
			loExact = false
			local = append(local, model.Filter{Since: lo}.Match)
			notText = append(notText, local[len(local)-1])
		}
	}
	if hiAt >= 0 {
		p.Server.Until = hi.Truncate(time.Second)
		if !p.Server.Until.Equal(hi) {
			hiExact = false
			p.Server.Until = p.Server.Until.Add(time.Second)
			local = append(local, model.Filter{Until: hi}.Match)
			notText = append(notText, local[len(local)-1])
		}
	}
	for gi, g := range q.groups {
		if g.key == KeySince || g.key == KeyUntil {
			onServer[gi] = true
		}
		if !onServer[gi] {
			local = append(local, g.match)
			if g.key == KeyText {
				p.want, p.reject = q.words(g)
			} else {
				notText = append(notText, g.match)
			}
		}
		for _, i := range g.terms {
			if onServer[gi] {
				where[i] = OnServer
			}
		}
	}
	for i, t := range q.terms {
		lower := (t.Key == KeySince) != t.Negated // since:x and -until:x bound from below
		if (t.Key == KeySince || t.Key == KeyUntil) && ((lower && !loExact) || (!lower && !hiExact)) {
			where[i] = OnServerAndLocally
		}
		p.Terms = append(p.Terms, TermPlacement{Term: t.Term, Where: where[i]})
	}

	p.Local, p.notText = allOf(local), allOf(notText)
	return p
}

// allOf is the conjunction of the predicates; nil when there are none.
func allOf(preds []func(*model.Event) bool) func(*model.Event) bool {
	switch len(preds) {
	case 0:
		return nil
	case 1:
		return preds[0]
	}
	return func(e *model.Event) bool {
		for _, m := range preds {
			if !m(e) {
				return false
			}
		}
		return true
	}
}

// compileTypes pushes the type and category terms as one exact set of types
// when there is a positive finite set to start from, and marks the groups it
// covered in onServer.
func compileTypes(q Query, f *model.Filter, onServer []bool) {
	typeGroup, catGroup := -1, -1
	var negs []int
	for gi, g := range q.groups {
		switch {
		case g.key != KeyType && g.key != KeyCategory:
		case g.negated:
			negs = append(negs, gi)
		case g.key == KeyType:
			typeGroup = gi
		default:
			catGroup = gi
		}
	}
	union := func(gi int) (types []string, other bool) {
		for _, i := range q.groups[gi].terms {
			types = append(types, q.terms[i].types...)
			other = other || q.terms[i].other
		}
		return dedupe(types), other
	}
	var cand []string
	var used []int
	if typeGroup >= 0 {
		cand, _ = union(typeGroup)
		used = append(used, typeGroup)
	}
	if catGroup >= 0 {
		// category:other is every type the catalogue lacks: no finite list.
		if cats, other := union(catGroup); !other {
			if cand == nil {
				cand = cats
				used = append(used, catGroup)
			} else if both := intersect(cand, cats); len(both) > 0 {
				cand = both
				used = append(used, catGroup)
			}
			// An empty intersection matches nothing: the type set goes to
			// the server and the category is checked here.
		}
	}
	if len(cand) == 0 {
		return
	}
	rest := slices.DeleteFunc(slices.Clone(cand), func(t string) bool {
		for _, gi := range negs {
			if !q.groups[gi].match(&model.Event{Type: t}) {
				return true
			}
		}
		return false
	})
	if len(rest) > 0 {
		cand = rest
		used = append(used, negs...)
	}
	// Otherwise every candidate is excluded: the server returns them and the
	// negations, checked here, drop them all.
	f.Types = cand
	for _, gi := range used {
		onServer[gi] = true
	}
}

func intersect(a, b []string) []string {
	in := setOf(b)
	var out []string
	for _, t := range a {
		if in[t] {
			out = append(out, t)
		}
	}
	return out
}

// dedupe drops repeated values, keeping the first of each: repeating a term
// sends its value once.
func dedupe(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := list[:0:0]
	for _, v := range list {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
