// Package query is auditui's search language for audit-log events, in the
// style of GitHub's audit-log search: `type:api_key.* -actor:bot@example.com
// since:7d "Beta research"`. A Query is evaluated locally by Match, and
// Compile splits it into what the API can filter (a model.Filter) and a
// local predicate for the rest, with the same result either way.
package query

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
)

// Key names what a term filters on.
type Key string

// The keys of the language. KeyText is a bare word or quoted phrase.
const (
	KeyText     Key = ""
	KeyType     Key = "type"
	KeyCategory Key = "category"
	KeyActor    Key = "actor"
	KeyProject  Key = "project"
	KeyResource Key = "resource"
	KeyIP       Key = "ip"
	KeyCountry  Key = "country"
	KeySince    Key = "since"
	KeyUntil    Key = "until"
)

// Keys lists every key in the order people are told about them.
var Keys = []Key{KeyType, KeyCategory, KeyActor, KeyProject, KeyResource, KeyIP, KeyCountry, KeySince, KeyUntil}

func knownKey(k string) bool {
	for _, key := range Keys {
		if string(key) == k {
			return true
		}
	}
	return false
}

// Term is one term of a query as typed.
type Term struct {
	Key     Key    // KeyText for free text
	Value   string // unquoted, escapes resolved, otherwise as typed
	Negated bool   // written with a leading "-"
	Pos     int    // byte offset of the term ("-" included) in the parsed text
	Len     int    // byte length of the term in the parsed text
}

// String is the term in canonical form.
func (t Term) String() string { return FormatTerm(t.Key, t.Value, t.Negated) }

// Query is a parsed query. The zero Query matches every event. Build one
// with Parse; it is immutable and safe for concurrent use.
type Query struct {
	terms  []term
	groups []group // conjuncts; the query matches when all of them do
}

// term is a Term with its value resolved once at parse time.
type term struct {
	Term
	types    []string        // type, category: the exact type names it stands for
	typeSet  map[string]bool // the same, for lookups
	other    bool            // category:other: types missing from the catalogue
	at       time.Time       // since, until
	prefix   netip.Prefix    // ip: an address is a full-length prefix
	email    bool            // actor: an email rather than an id
	projName bool            // project: a name rather than an id
	needle   string          // free text, lower-cased
}

// Terms returns the query's terms in the order they were written.
func (q Query) Terms() []Term {
	out := make([]Term, len(q.terms))
	for i, t := range q.terms {
		out[i] = t.Term
	}
	return out
}

// IsZero reports whether the query has no terms and so matches everything.
func (q Query) IsZero() bool { return len(q.terms) == 0 }

// Equal reports whether q and r have the same terms (keys, values and
// negation, in order), wherever they were written.
func (q Query) Equal(r Query) bool {
	if len(q.terms) != len(r.terms) {
		return false
	}
	for i := range q.terms {
		a, b := q.terms[i].Term, r.terms[i].Term
		if a.Key != b.Key || a.Value != b.Value || a.Negated != b.Negated {
			return false
		}
	}
	return true
}

// String is the canonical form: terms in the order written, one space apart,
// keys in lower case, values quoted only when they must be. It parses back
// to an equal query.
func (q Query) String() string {
	var b strings.Builder
	for i, t := range q.terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Term.String())
	}
	return b.String()
}

// FormatTerm writes one term in canonical form, quoting the value when it
// must be; the UI and the command line use it to add a term to a query.
// Every character sanitize.Display would not draw as itself (a control, a
// stray byte, a BiDi or invisible character) is written as an escape such
// as \x1b or \u202e, which Parse reads back exactly, so the term can be
// shown, edited and applied again without changing what it matches.
func FormatTerm(key Key, value string, negated bool) string {
	var b strings.Builder
	if negated {
		b.WriteByte('-')
	}
	if key != KeyText {
		b.WriteString(string(key))
		b.WriteByte(':')
	}
	if needsQuotes(value, key == KeyText) {
		b.WriteByte('"')
		quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(value)
		b.WriteString(sanitize.Escape(quoted))
		b.WriteByte('"')
	} else {
		b.WriteString(value)
	}
	return b.String()
}

func needsQuotes(v string, text bool) bool {
	// Any white space is quoted, so a no-break space at an end is not trimmed as a separator.
	if v == "" || strings.ContainsAny(v, "\"\\") || strings.ContainsFunc(v, unicode.IsSpace) || sanitize.Escape(v) != v {
		return true
	}
	// A bare word with a colon would read as a key, one with a dash as a negation.
	return text && (strings.IndexByte(v, ':') >= 0 || v[0] == '-')
}

// unescape reads the escape at s[k] (a backslash): \xNN is the byte NN,
// \uNNNN and \UNNNNNNNN the character, as Go writes them. ok is false when
// s[k:] holds none of these, and the backslash is then itself.
func unescape(s string, k int) (val string, n int, ok bool) {
	digits := 0
	switch {
	case k+1 >= len(s):
		return "", 0, false
	case s[k+1] == 'x':
		digits = 2
	case s[k+1] == 'u':
		digits = 4
	case s[k+1] == 'U':
		digits = 8
	default:
		return "", 0, false
	}
	if k+2+digits > len(s) {
		return "", 0, false
	}
	v, err := strconv.ParseUint(s[k+2:k+2+digits], 16, 32)
	if err != nil {
		return "", 0, false
	}
	if digits == 2 {
		return string([]byte{byte(v)}), 2 + digits, true
	}
	if r := rune(v); utf8.ValidRune(r) {
		return string(r), 2 + digits, true
	}
	return "", 0, false
}

// unescapeBare resolves the escapes in a bare value.
func unescapeBare(v string) string {
	if strings.IndexByte(v, '\\') < 0 {
		return v
	}
	var b strings.Builder
	for k := 0; k < len(v); k++ {
		if e, n, ok := unescape(v, k); ok && v[k] == '\\' {
			b.WriteString(e)
			k += n - 1
			continue
		}
		b.WriteByte(v[k])
	}
	return b.String()
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// SyntaxError is a query that cannot be used, with the span of the text at fault.
type SyntaxError struct {
	Pos int    // byte offset in the query
	Len int    // bytes at fault, at least 1 unless the query is empty there
	Msg string // one sentence saying what is wrong and what to do
	col int    // 1-based column in characters, for Error
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("query column %d: %s", e.col, e.Msg)
}

// Pointer renders the query with a line of carets under the text at fault,
// for a terminal. The query is drawn as the sanitiser shows it, each caret
// under one character of that, so nothing is sent to the terminal and the
// carets stay aligned.
func (e *SyntaxError) Pointer(query string) string {
	var line, marks strings.Builder
	for i := 0; i < len(query); {
		_, size := utf8.DecodeRuneInString(query[i:])
		shown := sanitize.Display(query[i : i+size])
		line.WriteString(shown)
		mark := byte(0)
		if i >= e.Pos && (i < e.Pos+e.Len || i == e.Pos) {
			mark = '^'
		} else if i < e.Pos {
			mark = ' '
		}
		if mark != 0 {
			marks.WriteString(strings.Repeat(string(mark), utf8.RuneCountInString(shown)))
		}
		i += size
	}
	if e.Pos >= len(query) {
		marks.WriteByte('^')
	}
	return line.String() + "\n" + marks.String()
}

// errAt builds a SyntaxError for s[pos:pos+n].
func errAt(s string, pos, n int, format string, args ...any) *SyntaxError {
	pos = min(max(pos, 0), len(s))
	n = min(max(n, 0), len(s)-pos)
	return &SyntaxError{Pos: pos, Len: n, Msg: fmt.Sprintf(format, args...), col: utf8.RuneCountInString(s[:pos]) + 1}
}

// Parse reads a query. Terms are separated by white space; repeating a key
// ORs its values, different keys and free-text words AND; a leading "-"
// negates a term. Relative times ("24h", "7d") count back from now,
// truncated to the second because the API filters in whole seconds.
func Parse(s string, now time.Time) (Query, error) {
	now = now.Truncate(time.Second)
	var terms []term
	i := 0
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			break
		}
		t, next, err := scanTerm(s, i)
		if err != nil {
			return Query{}, err
		}
		rt, err := resolve(s, t, now)
		if err != nil {
			return Query{}, err
		}
		terms = append(terms, rt)
		i = next
	}
	if err := checkRange(s, terms); err != nil {
		return Query{}, err
	}
	return build(terms), nil
}

// scanTerm reads the term starting at s[start] (not white space) and returns
// the offset just past it.
func scanTerm(s string, start int) (Term, int, error) {
	t := Term{Pos: start}
	i := start
	if s[i] == '-' {
		t.Negated = true
		i++
		if i >= len(s) || isSpace(s[i]) {
			return t, 0, errAt(s, start, 1, `a "-" must be followed by a term to exclude, such as -type:login.failed`)
		}
	}
	j := i
	for j < len(s) && !isSpace(s[j]) && s[j] != ':' && s[j] != '"' {
		j++
	}
	switch {
	case j < len(s) && s[j] == ':':
		key := strings.ToLower(s[i:j])
		if key == "" {
			return t, 0, errAt(s, j, 1, `a ":" must follow a key such as type or actor; put text with a colon in quotes to search for it`)
		}
		if !knownKey(key) {
			return t, 0, errAt(s, i, j-i, "unknown key %q: use %s, or put the text in quotes to search for it", s[i:j], keyList())
		}
		t.Key = Key(key)
		v, end, err := scanValue(s, j+1)
		if err != nil {
			return t, 0, err
		}
		if v == "" {
			return t, 0, errAt(s, i, end-i, "%s: needs a value, such as %s", key, example(t.Key))
		}
		t.Value, t.Len = v, end-start
		return t, end, nil
	case j < len(s) && s[j] == '"' && j == i:
		v, end, err := scanValue(s, i)
		if err != nil {
			return t, 0, err
		}
		if v == "" {
			return t, 0, errAt(s, start, end-start, `empty quotes: put text between them or remove them`)
		}
		t.Value, t.Len = v, end-start
		return t, end, nil
	case j < len(s) && s[j] == '"':
		return t, 0, errAt(s, j, 1, "unexpected quote inside a word: put the whole text in quotes")
	}
	t.Value, t.Len = unescapeBare(s[i:j]), j-start
	return t, j, nil
}

// scanValue reads a bare or quoted value starting at s[i].
func scanValue(s string, i int) (string, int, error) {
	if i >= len(s) || isSpace(s[i]) {
		return "", i, nil
	}
	if s[i] != '"' {
		j := i
		for j < len(s) && !isSpace(s[j]) {
			if s[j] == '"' {
				return "", 0, errAt(s, j, 1, "unexpected quote inside a value: put the whole value in quotes")
			}
			j++
		}
		return unescapeBare(s[i:j]), j, nil
	}
	var b strings.Builder
	for k := i + 1; k < len(s); k++ {
		e, n, isEscape := unescape(s, k)
		switch c := s[k]; {
		case c == '\\' && k+1 < len(s) && (s[k+1] == '"' || s[k+1] == '\\'):
			b.WriteByte(s[k+1])
			k++
		case c == '\\' && isEscape:
			b.WriteString(e)
			k += n - 1
		case c == '"':
			k++
			if k < len(s) && !isSpace(s[k]) {
				return "", 0, errAt(s, k, 1, "unexpected text after the closing quote: put a space between terms")
			}
			return b.String(), k, nil
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, errAt(s, i, len(s)-i, `unclosed quote: add a closing " (write \" for a quote inside)`)
}

func keyList() string {
	names := make([]string, len(Keys))
	for i, k := range Keys {
		names[i] = string(k)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

func example(k Key) string {
	switch k {
	case KeyType:
		return "type:api_key.created or type:login.*"
	case KeyCategory:
		return `category:roles or category:"ip allow-lists"`
	case KeyActor:
		return "actor:alice@example.com or actor:user-abc"
	case KeyProject:
		return `project:proj_abc or project:"Beta research"`
	case KeyResource:
		return "resource:key_abc"
	case KeyIP:
		return "ip:198.51.100.7 or ip:198.51.100.0/24"
	case KeyCountry:
		return "country:US"
	case KeySince, KeyUntil:
		return string(k) + ":2026-01-31 or " + string(k) + ":7d"
	}
	return ""
}

// resolve checks a term's value and works out what it stands for.
func resolve(s string, t Term, now time.Time) (term, error) {
	rt := term{Term: t}
	// The value's span: everything after the key's colon.
	vpos := t.Pos
	if t.Negated {
		vpos++
	}
	if t.Key != KeyText {
		vpos += len(t.Key) + 1
	}
	bad := func(format string, args ...any) (term, error) {
		return rt, errAt(s, vpos, t.Pos+t.Len-vpos, format, args...)
	}
	switch t.Key {
	case KeyType:
		types, err := model.ExpandTypes([]string{t.Value})
		if err != nil {
			return bad("type: %v; auditui types lists the known ones, as t does in the browser", err)
		}
		if len(types) == 0 {
			return bad("type: needs a value, such as %s", example(KeyType))
		}
		rt.types = types
	case KeyCategory:
		types, other, ok := categoryTypes(t.Value)
		if !ok {
			return bad("unknown category %q: use one of %s", t.Value, strings.Join(categoryNames(), ", "))
		}
		rt.types, rt.other = types, other
	case KeyActor:
		rt.email = strings.Contains(t.Value, "@")
	case KeyProject:
		rt.projName = !strings.HasPrefix(t.Value, "proj_")
	case KeyIP:
		p, ok := parseIPOrCIDR(t.Value)
		if !ok {
			return bad("%q is not an IP address or CIDR such as 198.51.100.7, 198.51.100.0/24 or 2001:db8::/32", t.Value)
		}
		rt.prefix = p
	case KeyCountry:
		if !isCountryCode(t.Value) {
			return bad("%q is not a two-letter ISO country code such as US or DE", t.Value)
		}
	case KeySince, KeyUntil:
		at, err := model.ParseTime(t.Value, now)
		if err != nil {
			return bad("%s: %v", t.Key, err)
		}
		rt.at = at
	case KeyText:
		rt.needle = strings.ToLower(t.Value)
	}
	rt.typeSet = setOf(rt.types)
	return rt, nil
}

func setOf(types []string) map[string]bool {
	if types == nil {
		return nil
	}
	m := make(map[string]bool, len(types))
	for _, t := range types {
		m[t] = true
	}
	return m
}

// categoryTypes returns the catalogue types of the category named v (any
// case); "other" stands for types the catalogue lacks.
func categoryTypes(v string) (types []string, other, ok bool) {
	v = strings.TrimSpace(v)
	if strings.EqualFold(v, model.CategoryOther) {
		return nil, true, true
	}
	for _, et := range model.EventTypes() {
		if strings.EqualFold(et.Category, v) {
			types = append(types, et.Name)
		}
	}
	return types, false, len(types) > 0
}

// categoryNames lists the catalogue's categories in order, lower-cased as
// people type them, quoted when they contain a space.
func categoryNames() []string {
	names := categoryValues()
	for i, c := range names {
		names[i] = FormatTerm(KeyText, c, false)
	}
	return names
}

func parseIPOrCIDR(v string) (netip.Prefix, bool) {
	if strings.Contains(v, "/") {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return netip.Prefix{}, false
		}
		// Host bits are forgiven: 198.51.100.7/24 means the /24 it is in.
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.WithZone("").Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

func isCountryCode(v string) bool {
	return len(v) == 2 && isLetter(v[0]) && isLetter(v[1])
}

func isLetter(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

// checkRange rejects a time range that no event can be in.
func checkRange(s string, terms []term) error {
	lo, hi, loAt, hiAt := bounds(terms)
	if loAt < 0 || hiAt < 0 || lo.Before(hi) {
		return nil
	}
	at := terms[max(loAt, hiAt)].Term
	return errAt(s, at.Pos, at.Len, "the time range is empty: since (%s) must be before until (%s)",
		lo.Format(time.RFC3339Nano), hi.Format(time.RFC3339Nano))
}

// bounds works out the time range the since and until terms allow, and the
// indexes of the terms that set each end (-1 when an end is open).
// since terms OR (the earliest wins), as do until terms (the latest wins);
// -until:x is since:x and -since:x is until:x, each ANDed.
func bounds(terms []term) (lo, hi time.Time, loAt, hiAt int) {
	loAt, hiAt = -1, -1
	posLo, posLoAt := time.Time{}, -1
	posHi, posHiAt := time.Time{}, -1
	for i, t := range terms {
		switch {
		case t.Key == KeySince && !t.Negated:
			if posLoAt < 0 || t.at.Before(posLo) {
				posLo, posLoAt = t.at, i
			}
		case t.Key == KeyUntil && !t.Negated:
			if posHiAt < 0 || t.at.After(posHi) {
				posHi, posHiAt = t.at, i
			}
		}
	}
	lo, loAt = posLo, posLoAt
	hi, hiAt = posHi, posHiAt
	for i, t := range terms {
		switch {
		case t.Key == KeyUntil && t.Negated:
			if loAt < 0 || t.at.After(lo) {
				lo, loAt = t.at, i
			}
		case t.Key == KeySince && t.Negated:
			if hiAt < 0 || t.at.Before(hi) {
				hi, hiAt = t.at, i
			}
		}
	}
	return lo, hi, loAt, hiAt
}

// At returns q with relative times ("24h", "7d") counted back from now
// instead of from when it was parsed; absolute times are unchanged. A range
// that becomes empty is kept: it matches nothing.
func (q Query) At(now time.Time) Query {
	now = now.Truncate(time.Second)
	terms := make([]term, len(q.terms))
	copy(terms, q.terms)
	for i, t := range terms {
		if t.Key == KeySince || t.Key == KeyUntil {
			if at, err := model.ParseTime(t.Value, now); err == nil {
				terms[i].at = at
			}
		}
	}
	return build(terms)
}
