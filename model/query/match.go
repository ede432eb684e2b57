package query

import (
	"net/netip"
	"strings"

	"github.com/auditui/auditui/model"
)

// group is one conjunct of a query: the positive terms of one key (ORed),
// one negated term, or all the free text (every word must be found, no
// negated word may be).
type group struct {
	key     Key
	negated bool
	terms   []int // indexes into Query.terms
	match   func(*model.Event) bool
}

// build groups the terms into conjuncts and prepares their predicates.
func build(terms []term) Query {
	q := Query{terms: terms}
	byKey := map[Key]int{}
	var text []int
	for i, t := range terms {
		switch {
		case t.Key == KeyText:
			text = append(text, i)
		case t.Negated:
			q.groups = append(q.groups, group{key: t.Key, negated: true, terms: []int{i}})
		default:
			if g, ok := byKey[t.Key]; ok {
				q.groups[g].terms = append(q.groups[g].terms, i)
				continue
			}
			byKey[t.Key] = len(q.groups)
			q.groups = append(q.groups, group{key: t.Key, terms: []int{i}})
		}
	}
	if len(text) > 0 {
		q.groups = append(q.groups, group{key: KeyText, terms: text})
	}
	for i := range q.groups {
		g := &q.groups[i]
		g.match = anyOf(terms, g.key, g.terms)
		if g.negated {
			m := g.match
			g.match = func(e *model.Event) bool { return !m(e) }
		}
	}
	return q
}

// Match reports whether e satisfies the whole query, evaluated locally.
func (q Query) Match(e *model.Event) bool {
	for i := range q.groups {
		if !q.groups[i].match(e) {
			return false
		}
	}
	return true
}

// anyOf is the predicate "e matches at least one of these terms of key",
// ignoring their negation; for free text it is the whole text conjunct.
// Keys the API filters on reuse model.Filter.Match so that a term means
// the same on the server and here.
func anyOf(terms []term, key Key, idx []int) func(*model.Event) bool {
	switch key {
	case KeyType, KeyCategory:
		set := map[string]bool{}
		other := false
		for _, i := range idx {
			for _, t := range terms[i].types {
				set[t] = true
			}
			other = other || terms[i].other
		}
		return func(e *model.Event) bool {
			if set[e.Type] {
				return true
			}
			if other {
				_, known := model.LookupType(e.Type)
				return !known
			}
			return false
		}
	case KeyActor:
		var emails, ids model.Filter
		for _, i := range idx {
			if terms[i].email {
				emails.ActorEmails = append(emails.ActorEmails, terms[i].Value)
			} else {
				ids.ActorIDs = append(ids.ActorIDs, terms[i].Value)
			}
		}
		return func(e *model.Event) bool {
			return (len(emails.ActorEmails) > 0 && emails.Match(e)) || (len(ids.ActorIDs) > 0 && ids.Match(e))
		}
	case KeyProject:
		var ids model.Filter
		var names []string
		for _, i := range idx {
			if terms[i].projName {
				names = append(names, terms[i].Value)
			} else {
				ids.ProjectIDs = append(ids.ProjectIDs, terms[i].Value)
			}
		}
		return func(e *model.Event) bool {
			if len(ids.ProjectIDs) > 0 && ids.Match(e) {
				return true
			}
			for _, n := range names {
				if e.Project.Name != "" && strings.EqualFold(e.Project.Name, n) {
					return true
				}
			}
			return false
		}
	case KeyResource:
		var f model.Filter
		for _, i := range idx {
			f.ResourceIDs = append(f.ResourceIDs, terms[i].Value)
		}
		return f.Match
	case KeyIP:
		var prefixes []netip.Prefix
		for _, i := range idx {
			prefixes = append(prefixes, terms[i].prefix)
		}
		return func(e *model.Event) bool {
			a, ok := actorAddr(e)
			if !ok {
				return false
			}
			for _, p := range prefixes {
				if p.Contains(a) {
					return true
				}
			}
			return false
		}
	case KeyCountry:
		var codes []string
		for _, i := range idx {
			codes = append(codes, terms[i].Value)
		}
		return func(e *model.Event) bool {
			c := e.Actor.Country()
			for _, code := range codes {
				if strings.EqualFold(c, code) {
					return true
				}
			}
			return false
		}
	case KeySince:
		var f []model.Filter
		for _, i := range idx {
			f = append(f, model.Filter{Since: terms[i].at})
		}
		return anyFilter(f)
	case KeyUntil:
		var f []model.Filter
		for _, i := range idx {
			f = append(f, model.Filter{Until: terms[i].at})
		}
		return anyFilter(f)
	case KeyText:
		want, reject := words(terms, idx)
		return func(e *model.Event) bool { return textMatch(e, "", want, reject) }
	}
	return func(*model.Event) bool { return false }
}

func anyFilter(fs []model.Filter) func(*model.Event) bool {
	return func(e *model.Event) bool {
		for _, f := range fs {
			if f.Match(e) {
				return true
			}
		}
		return false
	}
}

// actorAddr is the session's IP address, IPv4-mapped addresses unmapped and
// zones dropped so that they compare like the terms.
func actorAddr(e *model.Event) (netip.Addr, bool) {
	s := e.Actor.IP()
	if s == "" {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.WithZone("").Unmap(), true
}

// words are the needles of the free-text terms at idx: those wanted and
// those negated, lower-cased.
func words(terms []term, idx []int) (want, reject []string) {
	for _, i := range idx {
		if terms[i].Negated {
			reject = append(reject, terms[i].needle)
		} else {
			want = append(want, terms[i].needle)
		}
	}
	return want, reject
}

func (q Query) words(g group) (want, reject []string) { return words(q.terms, g.terms) }

// MatchWith is Match with extra searched by the free text as one more of
// the event's fields: the list's summary as worded from the object's state
// before, which no field of the event holds.
func (p Plan) MatchWith(e *model.Event, extra string) bool {
	if p.want == nil && p.reject == nil {
		return p.Match(e)
	}
	return p.Server.Match(e) && (p.notText == nil || p.notText(e)) && textMatch(e, extra, p.want, p.reject)
}

// SearchesText reports whether the plan has free text, which MatchWith
// also looks for in its extra field.
func (p Plan) SearchesText() bool { return p.want != nil || p.reject != nil }

// textMatch reports whether every word in want and no word in reject occurs,
// case-insensitively, in the event's model.SearchText fields (the same the
// list's filter box searches) or in extra. The words are lower-cased already.
func textMatch(e *model.Event, extra string, want, reject []string) bool {
	found := make([]bool, len(want))
	left := len(want)
	rejected := false
	// visit checks one field and says whether the answer is known already.
	visit := func(field string) (done bool) {
		if field == "" {
			return false
		}
		lower := lowerIfNeeded(field)
		for _, r := range reject {
			if containsLower(field, lower, r) {
				rejected = true
				return true
			}
		}
		for i, w := range want {
			if !found[i] && containsLower(field, lower, w) {
				found[i] = true
				left--
			}
		}
		return left == 0 && len(reject) == 0
	}
	if !model.SearchText(e, visit) {
		visit(extra)
	}
	return !rejected && left == 0
}

// lowerIfNeeded returns "" when s is already lower-case ASCII (the usual
// id, email or type, compared as is without allocating), else
// strings.ToLower(s).
func lowerIfNeeded(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || ('A' <= c && c <= 'Z') {
			return strings.ToLower(s)
		}
	}
	return ""
}

// containsLower reports whether strings.ToLower(s) contains needle, given
// lower = lowerIfNeeded(s). strings.Contains keeps it linear for long words.
func containsLower(s, lower, needle string) bool {
	if lower != "" {
		return strings.Contains(lower, needle)
	}
	return strings.Contains(s, needle)
}
