package ui

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestStyledWidthAgreesWithAnsi(t *testing.T) {
	for _, s := range []string{"", "abc", "\x1b[1;38;2;1;2;3mabc\x1b[m d", "東京\x1b[7m x", "a\x1b]8;;http://x\x07b"} {
		if got, want := styledWidth(s), ansi.StringWidth(s); got != want {
			t.Errorf("styledWidth(%q) = %d, ansi says %d", s, got, want)
		}
	}
}
