package sanitize

import (
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/graphemes"
)

// Cut returns the longest start of s of at most n bytes that ends between
// two grapheme clusters, so no character, combining mark or emoji sequence
// is split (between two runes when the first cluster alone is longer), and
// whether anything was left out.
func Cut(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	return cut(s, func(end, _ int) bool { return end <= n }, max(n, 0))
}

// CutChars is Cut counting n characters (grapheme clusters) instead of bytes.
func CutChars(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	head, cut := cut(s, func(_, count int) bool { return count <= n }, 0)
	return head, cut
}

// cut keeps clusters while fits(end, count) holds; fallback is where to cut
// between runes when not even the first cluster fits.
func cut(s string, fits func(end, count int) bool, fallback int) (string, bool) {
	end, count := 0, 0
	it := graphemes.FromString(s)
	for it.Next() {
		count++
		if !fits(it.End(), count) {
			break
		}
		end = it.End()
	}
	if end == len(s) {
		return s, false
	}
	if end == 0 {
		end = min(fallback, len(s))
		for end > 0 && end < len(s) && !utf8.RuneStart(s[end]) {
			end--
		}
	}
	return s[:end], true
}
