package query

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
)

// EditTerms returns text without the terms drop selects, followed by add
// (canonical terms). The terms kept are kept as written, one space apart
// (splitting on other white space would cut a quoted value or one with a
// no-break space). Text that does not parse is kept whole; anchor is what
// its relative times count back from.
func EditTerms(text string, anchor time.Time, drop func(Term) bool, add ...string) string {
	var kept []string
	if q, err := Parse(text, anchor); err == nil {
		for _, t := range q.Terms() {
			if !drop(t) {
				kept = append(kept, text[t.Pos:t.Pos+t.Len])
			}
		}
	} else if text = strings.TrimFunc(text, func(r rune) bool { return r < utf8.RuneSelf && isSpace(byte(r)) }); text != "" {
		kept = append(kept, text)
	}
	return strings.Join(append(kept, add...), " ")
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

// Printable returns text as the same query holding nothing that
// sanitize.Display would change, for an input that would otherwise drop a
// control character or send it to the terminal: a query that parses is
// written in canonical form (its values escaped by FormatTerm), one that
// does not as EscapeTyped writes it.
func Printable(text string, anchor time.Time) string {
	if sanitize.Display(text) == text {
		return text
	}
	if q, err := Parse(text, anchor); err == nil {
		return q.String()
	}
	return EscapeTyped(text)
}

// EscapeTyped is text typed or pasted into a query: tabs and line breaks
// become spaces, which separate terms, and every other character Display
// would change becomes the escape Parse reads back (\x1b, \u202e).
func EscapeTyped(s string) string {
	if strings.ContainsAny(s, "\t\n\r\v\f") {
		b := []byte(s)
		for i, c := range b {
			if isSpace(c) {
				b[i] = ' '
			}
		}
		s = string(b)
	}
	return sanitize.Escape(s)
}
