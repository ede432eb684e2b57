package query

import (
	"strings"
	"time"

	"github.com/auditui/auditui/model"
)

// EditTerms returns text without the terms drop selects, followed by add
// (canonical terms). Text that does not parse is kept whole; anchor is what
// its relative times count back from.
func EditTerms(text string, anchor time.Time, drop func(Term) bool, add ...string) string {
	if q, err := Parse(text, anchor); err == nil {
		terms := q.Terms()
		// Cut from the end so earlier positions stay valid.
		for i := len(terms) - 1; i >= 0; i-- {
			if t := terms[i]; drop(t) {
				text = text[:t.Pos] + text[t.Pos+t.Len:]
			}
		}
	}
	return strings.Join(append(strings.Fields(text), add...), " ")
}

// NarrowTo returns text with key:value (or its negation) in place of the
// positive terms of the same key, which would otherwise OR with it; a
// negated term is added to the others. A value no term of key takes (a
// malformed IP from a hostile record) is looked for as free text instead.
func NarrowTo(text string, anchor time.Time, k Key, value string, negated bool) string {
	term := FormatTerm(k, value, negated)
	if _, err := Parse(term, anchor); err != nil {
		k, term = KeyText, FormatTerm(KeyText, value, negated)
	}
	return EditTerms(text, anchor, func(t Term) bool {
		return t.Key == k && (!t.Negated && !negated || t.String() == term)
	}, term)
}

// Zoom returns text with its time range replaced by [from, to).
func Zoom(text string, anchor, from, to time.Time) string {
	return EditTerms(text, anchor, func(t Term) bool { return t.Key == KeySince || t.Key == KeyUntil },
		FormatTerm(KeySince, model.FormatTimeBound(from), false),
		FormatTerm(KeyUntil, model.FormatTimeBound(to), false))
}
