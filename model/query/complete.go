package query

import (
	"slices"
	"strings"

	"github.com/auditui/auditui/model"
)

// Completion is what tab offers at a cursor in a query: whole terms, each
// to put in place of Text[From:To].
type Completion struct {
	From, To   int
	Candidates []string
}

// maxCandidates bounds what one tab offers; typing more narrows it.
const maxCandidates = 200

// relativeTimes are offered after since: and until:.
var relativeTimes = []string{"1h", "24h", "7d", "30d", "90d"}

// Complete offers the completions of the word at cursor (a byte offset) in
// text: the keys for a word without a colon, and after a key the values
// it takes: catalogue types after type:, categories after category:, and
// for the others what seen returns (values in the loaded events). Values
// that begin with what is typed come first, then those containing it, each
// in seen's order (the catalogue's, for types). Each candidate is a whole
// term in canonical form, its "-" kept, quoted when it must be.
func Complete(text string, cursor int, seen func(Key) []string) Completion {
	cursor = min(max(cursor, 0), len(text))
	from := cursor
	for from > 0 && !isSpace(text[from-1]) {
		from--
	}
	to := cursor
	for to < len(text) && !isSpace(text[to]) {
		to++
	}
	c := Completion{From: from, To: to}
	word := text[from:cursor]
	negated := strings.HasPrefix(word, "-")
	word = strings.TrimPrefix(word, "-")
	sign := ""
	if negated {
		sign = "-"
	}
	k, v, ok := strings.Cut(word, ":")
	if !ok {
		for _, key := range Keys {
			if strings.HasPrefix(string(key), strings.ToLower(word)) {
				c.Candidates = append(c.Candidates, sign+string(key)+":")
			}
		}
		return c
	}
	key := Key(strings.ToLower(k))
	if !knownKey(string(key)) {
		return c
	}
	v = strings.TrimPrefix(v, `"`)
	for _, val := range ranked(valuesOf(key, seen), v) {
		c.Candidates = append(c.Candidates, FormatTerm(key, val, negated))
	}
	return c
}

// valuesOf is every value key is completed from.
func valuesOf(k Key, seen func(Key) []string) []string {
	switch k {
	case KeyType:
		types := model.EventTypes()
		out := make([]string, len(types))
		for i, t := range types {
			out[i] = t.Name
		}
		return out
	case KeyCategory:
		return categoryValues()
	case KeySince, KeyUntil:
		return relativeTimes
	}
	if seen == nil {
		return nil
	}
	return seen(k)
}

// categoryValues are the categories as typed: lower case, unquoted.
func categoryValues() []string {
	var out []string
	for _, et := range append(model.EventTypes(), model.EventType{Category: model.CategoryOther}) {
		if c := strings.ToLower(et.Category); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// ranked is the values beginning with typed, then those containing it,
// case-insensitively, without repeats, at most maxCandidates.
func ranked(values []string, typed string) []string {
	typed = strings.ToLower(typed)
	var starts, contains []string
	seen := map[string]bool{}
	for _, v := range values {
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		switch lower := strings.ToLower(v); {
		case strings.HasPrefix(lower, typed):
			starts = append(starts, v)
		case strings.Contains(lower, typed):
			contains = append(contains, v)
		}
	}
	out := append(starts, contains...)
	return out[:min(len(out), maxCandidates)]
}

// Apply returns text with candidate i of c in place, and the cursor just
// after it.
func (c Completion) Apply(text string, i int) (string, int) {
	if i < 0 || i >= len(c.Candidates) || c.To > len(text) {
		return text, c.To
	}
	cand := c.Candidates[i]
	return text[:c.From] + cand + text[c.To:], c.From + len(cand)
}
