package model

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// Matcher is the text typed in the browser's filter box, compiled once per
// keystroke. Matching is case-insensitive. Text containing a glob character
// (* ? [) is a glob over the whole event type in which "*" also crosses
// dots ("api_key.*", "*.deleted"); other text matches an event one of
// whose SearchText fields contains it. Empty text matches every event. The zero Matcher
// matches every event.
type Matcher struct {
	text  string // lower-cased, trimmed, NULs removed
	kind  matchKind
	err   error
	types []string // sorted exact types the picker allows; nil allows all
}

type matchKind uint8

const (
	matchAll matchKind = iota
	matchText
	matchGlob
	matchNone // a malformed glob: nothing matches until it is fixed
)

// CompileMatcher compiles what was typed in the filter box. It never fails:
// a malformed glob ("api_key.[") matches nothing and Err says why.
func CompileMatcher(text string) Matcher {
	// NUL separates the indexed fields, so it must never be part of a needle.
	t := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(text, "\x00", "")))
	switch {
	case t == "":
		return Matcher{}
	case !strings.ContainsAny(t, "*?["):
		return Matcher{text: t, kind: matchText}
	}
	if err := globErr(t); err != nil {
		return Matcher{text: t, kind: matchNone, err: err}
	}
	return Matcher{text: t, kind: matchGlob}
}

// WithTypes returns m further restricted to events whose type is one of
// types (exact names, as ticked in the type picker); no types lifts the
// restriction.
func (m Matcher) WithTypes(types []string) Matcher {
	if len(types) == 0 {
		m.types = nil
		return m
	}
	m.types = slices.Compact(slices.Sorted(slices.Values(types)))
	return m
}

// Text is the compiled text: trimmed and lower-cased, for highlighting.
func (m Matcher) Text() string { return m.text }

// Types returns the exact types m is restricted to, sorted; nil when any type passes.
func (m Matcher) Types() []string { return slices.Clone(m.types) }

// IsEmpty reports whether m matches every event.
func (m Matcher) IsEmpty() bool { return m.kind == matchAll && m.types == nil }

// TypeOnly reports whether m looks only at event types (a glob, or only a
// type restriction), so a highlight belongs on the type column alone.
func (m Matcher) TypeOnly() bool {
	return m.kind == matchGlob || m.kind == matchNone || (m.kind == matchAll && m.types != nil)
}

// Err is why the typed text cannot match anything (a malformed glob), or nil.
func (m Matcher) Err() error { return m.err }

// Equal reports whether m and o select exactly the same events for the same reason.
func (m Matcher) Equal(o Matcher) bool {
	return m.text == o.text && m.kind == o.kind && slices.Equal(m.types, o.types)
}

// Match reports whether e matches. Set.Filter gives the same answers from
// its index without re-deriving the searched fields.
func (m Matcher) Match(e *Event) bool {
	if m.types != nil && !m.allowsType(e.Type) {
		return false
	}
	switch m.kind {
	case matchAll:
		return true
	case matchGlob:
		return m.matchType(lowerString(e.Type))
	case matchText:
		if m.matchType(lowerString(e.Type)) {
			return true
		}
		var f searchFields
		f.fill(e)
		for _, v := range f {
			if strings.Contains(string(v), m.text) {
				return true
			}
		}
	}
	return false
}

// MatchesExtra reports whether m matches extra searched as one more of
// e's fields: the list's summary as worded from the object's state before,
// which no field of the event holds; extra is lower-cased already, as
// history.WordedText is (lowering it here cost a copy per summary with an
// arrow, per keystroke). Match(e) || MatchesExtra(e, extra) is whether e
// matches with it.
func (m Matcher) MatchesExtra(e *Event, extra string) bool {
	// The text first: most extras lack it, and reading e's type is a cache miss.
	return m.SearchesText() && strings.Contains(extra, m.text) && m.allowsType(e.Type)
}

// SearchesText reports whether m looks for text in the searched fields,
// which MatchesExtra also looks for in its extra field.
func (m Matcher) SearchesText() bool { return m.kind == matchText }

// allowsType reports whether the picker's restriction lets t through.
func (m Matcher) allowsType(t string) bool {
	if m.types == nil {
		return true
	}
	_, ok := slices.BinarySearch(m.types, t)
	return ok
}

// matchType reports whether the lower-cased type lt matches m's text part.
func (m Matcher) matchType(lt string) bool {
	switch m.kind {
	case matchAll:
		return true
	case matchText:
		return strings.Contains(lt, m.text)
	case matchGlob:
		return globMatch(m.text, lt)
	}
	return false
}

// Narrows reports whether every event m matches is also matched by prev, so
// m can be computed by filtering prev's result instead of every event. It
// is conservative: false only costs a filter from scratch.
func (m Matcher) Narrows(prev Matcher) bool {
	if m.kind == matchNone {
		return true // m matches nothing
	}
	if prev.types != nil {
		if m.types == nil {
			return false
		}
		for _, t := range m.types {
			if !prev.allowsType(t) {
				return false
			}
		}
	}
	switch prev.kind {
	case matchAll:
		return true
	case matchNone:
		return false
	case matchText:
		switch m.kind {
		case matchText:
			return strings.Contains(m.text, prev.text)
		case matchGlob:
			// Every type the glob matches contains each of its literal runs.
			return slices.ContainsFunc(globLiterals(m.text), func(lit string) bool { return strings.Contains(lit, prev.text) })
		}
		return false
	case matchGlob:
		if m.kind != matchGlob {
			return false
		}
		if m.text == prev.text {
			return true
		}
		// prev is a literal prefix followed only by stars: anything starting
		// with that prefix matches it.
		prefix := strings.TrimRight(prev.text, "*")
		if strings.ContainsAny(prefix, "*?[\\") {
			return false
		}
		return strings.HasPrefix(globPrefix(m.text), prefix)
	}
	return false
}

// globLiterals returns the runs of plain characters in a glob, outside
// character classes; nil when the glob uses escapes, which it then cannot
// reason about.
func globLiterals(p string) []string {
	if strings.Contains(p, "\\") {
		return nil
	}
	var lits []string
	start := 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '*', '?':
			if i > start {
				lits = append(lits, p[start:i])
			}
			start = i + 1
		case '[':
			if i > start {
				lits = append(lits, p[start:i])
			}
			// A class ends at the first "]" after its first member.
			j := i + 1
			if j < len(p) && p[j] == '^' {
				j++
			}
			j++
			for j < len(p) && p[j] != ']' {
				j++
			}
			i = j
			start = j + 1
		}
	}
	if start < len(p) {
		lits = append(lits, p[start:])
	}
	return lits
}

// globPrefix is the plain text a glob starts with.
func globPrefix(p string) string {
	if i := strings.IndexAny(p, "*?[\\"); i >= 0 {
		return p[:i]
	}
	return p
}

// SearchText calls visit with each field free text is searched in, until
// visit returns true, and reports whether it did: the event's id and type,
// the actor's email and ids, the session's IP, the project's id and name,
// every scalar value of the payload, and the summary. The list's filter box
// (Matcher, and Set's index of the same fields) and a bare word in a query
// both search exactly these.
func SearchText(e *Event, visit func(string) bool) bool {
	return eachSearched(e, nil, func(_ int, _, s string) bool { return visit(s) })
}

// Field names the first of SearchText's fields that holds m's text:
// "id", "type", "actor.email", "actor.id", "ip", "project.id",
// "project.name", "payload." and the value's keys ("payload.data.title"),
// or "summary"; "" when m is not free text or no field holds it. The list
// says it for a row whose match is in a column it does not show.
func (m Matcher) Field(e *Event) string {
	if m.kind != matchText {
		return ""
	}
	var path []byte
	field := ""
	eachSearched(e, &path, func(_ int, name, s string) bool {
		if !strings.Contains(lowerString(s), m.text) {
			return false
		}
		field = name
		if name == "payload" && len(path) > 0 {
			field += "." + string(path)
		}
		return true
	})
	return field
}

// Columns the Set indexes SearchText's fields in (the type has its own
// table); each holds lower-cased values separated by NUL so that a needle
// never spans two of them.
const (
	colID      = iota // the event's id
	colActor          // email, user id, API key id, service account id
	colIP             // session IP address
	colProject        // project id and name
	colPayload        // the payload's scalar values
	colSummary        // Summary(e)
	numCols
	colType = -1 // searched through the Set's table of types
)

// eachSearched is SearchText with the column each field belongs to and its
// name; a payload value's keys are in *path while it is visited when path
// is not nil (the index, which does not need them, passes nil).
func eachSearched(e *Event, path *[]byte, visit func(col int, name, s string) bool) bool {
	if visit(colID, "id", e.ID) || visit(colType, "type", e.Type) || visit(colActor, "actor.email", e.Actor.Email()) {
		return true
	}
	for _, id := range e.Actor.IDs() {
		if visit(colActor, "actor.id", id) {
			return true
		}
	}
	if visit(colIP, "ip", e.Actor.IP()) || visit(colProject, "project.id", e.Project.ID) || visit(colProject, "project.name", e.Project.Name) {
		return true
	}
	if len(e.Payload) > 0 && walkScalars(gjson.ParseBytes(e.Payload), path, func(s string) bool { return visit(colPayload, "payload", s) }) {
		return true
	}
	return visit(colSummary, "summary", Summary(e))
}

// walkScalars visits every scalar value under v (object keys are not
// values) until visit returns true, keeping the dotted keys down to the
// value in *path when path is not nil.
func walkScalars(v gjson.Result, path *[]byte, visit func(string) bool) bool {
	switch v.Type {
	case gjson.String:
		return visit(v.Str)
	case gjson.Number, gjson.True, gjson.False:
		return visit(v.Raw)
	case gjson.JSON:
		stop := false
		n := 0
		if path != nil {
			n = len(*path)
		}
		v.ForEach(func(k, child gjson.Result) bool {
			if path != nil && k.Type == gjson.String {
				*path = (*path)[:n]
				if n > 0 {
					*path = append(*path, '.')
				}
				*path = append(*path, k.Str...)
			}
			stop = walkScalars(child, path, visit)
			return !stop
		})
		if path != nil && !stop {
			*path = (*path)[:n]
		}
		return stop
	}
	return false
}

type searchFields [numCols][]byte

// fill derives e's searched text, reusing f's buffers.
func (f *searchFields) fill(e *Event) {
	for i := range f {
		f[i] = f[i][:0]
	}
	eachSearched(e, nil, func(col int, _, s string) bool {
		if col != colType {
			f[col] = appendLowerField(f[col], s)
		}
		return false
	})
}

// appendLowerField appends s lower-cased, after a NUL when dst already has a value.
func appendLowerField(dst []byte, s string) []byte {
	if s == "" {
		return dst
	}
	if len(dst) > 0 {
		dst = append(dst, 0)
	}
	start := len(dst)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			// Rare: let the Unicode rules do it, exactly as for the needle.
			return append(dst[:start], strings.ToLower(s)...)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// lowerString lower-cases like appendLowerField, without allocating for
// text that is already lower case.
func lowerString(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return strings.ToLower(s)
		}
	}
	return s
}
