package ui

import (
	"github.com/charmbracelet/x/ansi"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitizeHostileStrings(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain ascii untouched", "alice@example.com", "alice@example.com"},
		{"CSI colour", "\x1b[31mred\x1b[0m", "␛[31mred␛[0m"},
		{"clear screen", "\x1b[2J\x1b[H", "␛[2J␛[H"},
		{"OSC title with BEL", "\x1b]0;pwned\x07", "␛]0;pwned␇"},
		{"OSC 52 clipboard with ST", "\x1b]52;c;ZXZpbA==\x1b\\", "␛]52;c;ZXZpbA==␛\\"},
		{"C1 CSI", "a\u009b31mb", `a\x9b31mb`},
		{"C1 OSC and ST", "\u009d0;x\u009c", `\x9d0;x\x9c`},
		{"newline and CR", "line1\r\nline2", "line1␍␊line2"},
		{"tab and NUL", "a\tb\x00c", "a␉b␀c"},
		{"DEL", "x\x7fy", "x␡y"},
		{"RLO override", "evil\u202Etxt.exe", `evil\u202etxt.exe`},
		{"isolates", "\u2066a\u2069", `\u2066a\u2069`},
		{"RLM", "a\u200fb", `a\u200fb`},
		{"line separator", "a\u2028b", `a\u2028b`},
		{"prepending marks", "\u0600 \U00011a84", `\u0600 \U00011a84`},
		{"invalid utf8", "a\xffb\xc3", "a\uFFFDb\uFFFD"},
		{"wide characters kept", "東京 ユーザー", "東京 ユーザー"},
		{"emoji kept", "deploy 🚀", "deploy 🚀"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Sanitize(c.in); got != c.want {
				t.Errorf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// assertSafe fails when s could act on a terminal.
func assertSafe(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("output is not valid UTF-8: %q", s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || unsafeFormat(r) {
			t.Fatalf("output contains control %U: %q", r, s)
		}
	}
}

func TestSanitizeNeverEmitsControls(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r < 0x3000; r++ {
		all.WriteRune(r)
	}
	all.WriteString("\xff\xfe\xed\xa0\x80") // invalid bytes and an encoded surrogate
	assertSafe(t, Sanitize(all.String()))
	for _, l := range SanitizeLines(all.String()) {
		assertSafe(t, l)
	}
}

func TestSanitizeLinesKeepsLineBreaks(t *testing.T) {
	got := SanitizeLines("one\r\ntwo\tx\n\x1b[1mthree")
	want := []string{"one", "two    x", "␛[1mthree"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("SanitizeLines = %q, want %q", got, want)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "abc", "\x1b[31m", "\u009b", "\u202e", "\xff", "東京"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		assertSafe(t, Sanitize(s))
		if Sanitize(Sanitize(s)) != Sanitize(s) {
			t.Fatalf("Sanitize is not idempotent on %q", s)
		}
	})
}

func TestStyledWidthAgreesWithAnsi(t *testing.T) {
	for _, s := range []string{"", "abc", "\x1b[1;38;2;1;2;3mabc\x1b[m d", "東京\x1b[7m x", "a\x1b]8;;http://x\x07b"} {
		if got, want := styledWidth(s), ansi.StringWidth(s); got != want {
			t.Errorf("styledWidth(%q) = %d, ansi says %d", s, got, want)
		}
	}
}
