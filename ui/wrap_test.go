package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auditui/auditui/model/sanitize"
)

// graphemeHeavy holds clusters whose cluster width and per-character width
// differ (ZWJ families, emoji selectors, skin tones, Indic conjuncts, Hangul
// jamo), which a terminal without Unicode mode 2027 draws wider.
var graphemeHeavy = strings.Repeat("👨\u200d👩\u200d👧❤\ufe0f👍🏽क्षिᄀ\u1161\u11a8e\u0301 ", 6)

// TestDetailWrapsByCluster: the detail's values and its raw JSON wrap
// between clusters, fit the pane by either width measure and lose nothing.
func TestDetailWrapsByCluster(t *testing.T) {
	st := NewStyles(true)
	for _, width := range []int{7, 20, 37} {
		lines := wrapValue(graphemeHeavy, width)
		if strings.Join(lines, "") != sanitize.Display(graphemeHeavy) {
			t.Fatalf("width %d: the value wrapped to %q lost text", width, lines)
		}
		raw := []byte(`{"name":"` + graphemeHeavy + `"}`)
		var shown strings.Builder
		for _, l := range highlightJSON(&st, raw, width) {
			plain := ansi.Strip(l)
			if ansi.StringWidth(plain) > width || ansi.StringWidthWc(plain) > width {
				t.Fatalf("width %d: raw JSON line %q is %d/%d cells", width, plain, ansi.StringWidth(plain), ansi.StringWidthWc(plain))
			}
			shown.WriteString(strings.ReplaceAll(plain, " ", ""))
		}
		if !strings.Contains(shown.String(), strings.ReplaceAll(sanitize.Display(graphemeHeavy), " ", "")) {
			t.Fatalf("width %d: the raw JSON lost text: %q", width, shown.String())
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > width || ansi.StringWidthWc(l) > width {
				t.Fatalf("width %d: value line %q is %d/%d cells", width, l, ansi.StringWidth(l), ansi.StringWidthWc(l))
			}
		}
	}
}
