package sanitize

import (
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
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

// Width is how many terminal cells s (as Display writes it) takes, each
// grapheme cluster counted as the wider of its cluster width and the sum of
// its characters' widths: Bubble Tea draws by the first when the terminal
// declares Unicode mode 2027 and by the second otherwise (tmux, most
// terminals), so text measured this way fits whichever the renderer uses.
func Width(s string) int {
	n := 0
	it := graphemes.FromString(s)
	for it.Next() {
		n += clusterWidth(it.Value())
	}
	return n
}

func clusterWidth(c string) int {
	if len(c) == 1 {
		return ansi.StringWidth(c)
	}
	return max(ansi.StringWidth(c), ansi.StringWidthWc(c))
}

// Wrap breaks s, one line as Display writes it, into lines of at most width
// cells as Width measures them, between grapheme clusters (so no emoji
// sequence or combining mark is split and none is lost: the lines joined
// are s), preferring to break after a space, ",", "/" or ";". A cluster
// wider than width gets a line of its own.
func Wrap(s string, width int) []string {
	width = max(width, 1)
	var lines []string
	start, w := 0, 0   // the line being filled is s[start:], w cells so far
	brk, brkW := -1, 0 // where the last break opportunity in it ends, and w there
	it := graphemes.FromString(s)
	for it.Next() {
		c := it.Value()
		cw := clusterWidth(c)
		if w+cw > width && it.Start() > start {
			if brk > start && w-brkW+cw <= width {
				lines = append(lines, s[start:brk])
				start, w = brk, w-brkW
			} else {
				lines = append(lines, s[start:it.Start()])
				start, w = it.Start(), 0
			}
			brk = -1
		}
		w += cw
		if c == " " || c == "," || c == "/" || c == ";" {
			brk, brkW = it.End(), w
		}
	}
	return append(lines, s[start:])
}
