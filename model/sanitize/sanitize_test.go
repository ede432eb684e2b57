package sanitize

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/clipperhouse/uax29/v2/graphemes"
)

// neverShown is the promise written out apart from the package's tables:
// a plain list of what must never reach a terminal as itself.
func neverShown(r rune) bool {
	in := func(lo, hi rune) bool { return r >= lo && r <= hi }
	switch {
	case r < 0x20, r == 0x7f, in(0x80, 0x9f): // C0, DEL, C1
		return true
	case r == 0x00ad, r == 0x034f, r == 0x061c, r == 0x180e: // soft hyphen, CGJ, ALM, MVS
		return true
	case in(0x0600, 0x0605), r == 0x06dd, r == 0x070f, in(0x0890, 0x0891), r == 0x08e2, r == 0x110bd, r == 0x110cd: // prepending marks
		return true
	case in(0x115f, 0x1160), r == 0x3164, r == 0xffa0: // Hangul fillers
		return true
	case in(0x17b4, 0x17b5), in(0x180b, 0x180d), r == 0x180f: // Khmer inherent vowels, Mongolian selectors
		return true
	case in(0x200b, 0x200f), in(0x2028, 0x202e), in(0x2060, 0x206f): // zero-width, BiDi, separators, invisible operators
		return true
	case in(0xfe00, 0xfe0f), r == 0xfeff, in(0xfff9, 0xfffb): // selectors, BOM, annotations
		return true
	case in(0xfdd0, 0xfdef), r&0xfffe == 0xfffe: // noncharacters
		return true
	case in(0x1bca0, 0x1bca3), in(0x1d173, 0x1d17a), in(0x13430, 0x1343f): // shorthand, musical, hieroglyph format
		return true
	case in(0xe0000, 0xe0fff): // tags, selectors supplement, unassigned ignorables
		return true
	}
	return false
}

// joiner is what Display keeps only after the scripts and symbols that use it.
func joiner(r rune) bool { return r == 0x200c || r == 0x200d || r == 0xfe0e || r == 0xfe0f }

// checkShown fails when out could act on a terminal, reorder text or hide.
func checkShown(t *testing.T, what, in, out string) {
	if fault := unshowable(out); fault != "" {
		t.Helper()
		t.Fatalf("%s(%q) = %q %s", what, in, out, fault)
	}
}

// unshowable says what in s breaks the promise, or "".
func unshowable(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	prev := rune(0)
	for _, r := range s {
		if neverShown(r) && !(joiner(r) && prev >= 0x0590) {
			return fmt.Sprintf("carries %U", r)
		}
		prev = r
	}
	return ""
}

func TestDisplayHostileStrings(t *testing.T) {
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
		{"tag characters", "alice\U000e0041@example.com", `alice\U000e0041@example.com`},
		{"invisible operators", "al\u2061ice", `al\u2061ice`},
		{"soft hyphen", "ali\u00adce", `ali\u00adce`},
		{"grapheme joiner", "ali\u034fce", `ali\u034fce`},
		{"Hangul filler", "alice\u3164", `alice\u3164`},
		{"variation selector after a letter", "alice\ufe0f", `alice\ufe0f`},
		{"joiner after a letter", "ali\u200dce", `ali\u200dce`},
		{"noncharacters", "a\uffffb\ufffe", `a\uffffb\ufffe`},
		{"invalid utf8", "a\xffb\xc3", "a\uFFFDb\uFFFD"},
		{"wide characters kept", "東京 ユーザー", "東京 ユーザー"},
		{"emoji kept", "deploy 🚀", "deploy 🚀"},
		{"ZWJ emoji kept", "👨\u200d👩\u200d👧 🏳\ufe0f\u200d🌈 ❤\ufe0f", "👨\u200d👩\u200d👧 🏳\ufe0f\u200d🌈 ❤\ufe0f"},
		{"a run of joiners shows", "👨\u200d\u200d", `👨` + "\u200d" + `\u200d`},
		{"Persian ZWNJ kept", "می\u200cخواهم", "می\u200cخواهم"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Display(c.in); got != c.want {
				t.Errorf("Display(%q) = %q, want %q", c.in, got, c.want)
			}
			checkShown(t, "Display", c.in, Display(c.in))
		})
	}
}

// TestFiveAlicesDiffer is the facets panel's case: five names that look the
// same must be drawn differently.
func TestFiveAlicesDiffer(t *testing.T) {
	seen := map[string]string{}
	for _, s := range []string{"alice@example.com", "alice\U000e0020@example.com", "ali\u00adce@example.com",
		"alice@example.com\ufe0f", "alice@exam\u034fple.com", "al\u2062ice@example.com", "alice@example.com\u3164"} {
		d := Display(s)
		if other, dup := seen[d]; dup {
			t.Fatalf("%q and %q are both drawn %q", other, s, d)
		}
		seen[d] = s
	}
}

// TestEveryCodePoint sweeps the whole code space: each character between
// two letters comes out shown as itself or escaped, never as what the
// independent list forbids, and one shown as itself never joins the letter
// after it into its cell (grapheme break property Prepend, by UAX #29).
func TestEveryCodePoint(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue // not encodable; bad bytes are swept below
		}
		in := "a" + string(r) + "b"
		out := Display(in)
		checkShown(t, "Display", in, out)
		checkShown(t, "Escape", in, Escape(in))
		checkShown(t, "OneLine", in, OneLine(in))
		if out == in && r >= 0x20 {
			if first := graphemes.FromString(string(r) + "b").First(); first != string(r) {
				t.Fatalf("%U is drawn as itself but joins the next character: %q", r, first)
			}
		}
		if out != in && !Hidden(r) {
			t.Fatalf("%U is not hidden but Display changed it: %q", r, out)
		}
	}
	for c := 0x80; c <= 0xff; c++ {
		in := "a" + string([]byte{byte(c)}) + "b"
		checkShown(t, "Display", in, Display(in))
		if got, want := Escape(in), fmt.Sprintf(`a\x%02xb`, c); got != want {
			t.Fatalf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLinesKeepsLineBreaks(t *testing.T) {
	got := Lines("one\r\ntwo\tx\n\x1b[1mthree")
	want := []string{"one", "two    x", "␛[1mthree"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("Lines = %q, want %q", got, want)
	}
}

func TestOneLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{"  two\nlines\r\n", "two lines"},
		{"tab\tand\vform\ffeed", "tab and form feed"},
		{"found x\u202e gnp.exe", "found x gnp.exe"},
		{"sk-admin-SEC\x00RET\u202eKEY\u0085\u2028\x7fEND", "sk-admin-SECRETKEY END"},
		{"\x1b[31mred\x1b]0;title\x07", "[31mred]0;title"},
		{"bad \xff byte", "bad \ufffd byte"},
		{"東京 🚀", "東京 🚀"},
	}
	for _, c := range cases {
		if got := OneLine(c.in); got != c.want {
			t.Errorf("OneLine(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestEscape(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{"a\rb\nc\td", `a\x0db\x0ac\x09d`},
		{"\x1b[2J\u009b1m\x9b", `\x1b[2J\u009b1m\x9b`}, // a C1 character and a lone byte differ
		{"x\u202ey\U000e0041", `x\u202ey\U000e0041`},
		{"é 東京", "é 東京"},
	}
	for _, c := range cases {
		if got := Escape(c.in); got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCell(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"alice", "alice"},
		{"a=b", "a=b"},
		{"2024-07-31T", "2024-07-31T"},
		{"'=already", "'=already"},
		{"=1+1", "'=1+1"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@A1", "'@A1"},
		{"  =1", "'  =1"},
		{"\u00a0=1", "'\u00a0=1"},
		{"\u3000@x", "'\u3000@x"},
		{"＝1", "'＝1"},
		{"\tx", `\x09x`},
		{"\r=x", `\x0d=x`},
		{"\n=cmd", `\x0a=cmd`},
		{"ok;=cmd", "ok;'=cmd"},
		{"a, -2,b; @c", "a,' -2,b;' @c"},
		{"=a;=b", "'=a;'=b"},
		{"a\x9bb\u009b", `a\x9bb\u009b`},
		{"x\u202ey", `x\u202ey`},
	}
	for _, c := range cases {
		if got := Cell(c.in); got != c.want {
			t.Errorf("Cell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestJSON(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"a":"plain"}`, `{"a":"plain"}`},
		{"{\n  \"a\": \"x\"\r\n}", `{   "a": "x"  }`},
		{"{\"id\":\"\u001b[201~\\ntouch pwned\"}", `{"id":"\u001b[201~\ntouch pwned"}`},
		{"[\"\u009b2J\", \"\x9b\", \"\x7f\", \"e\u202ev\", \"t\U000e0041\"]", `["\u009b2J", "\ufffd", "\u007f", "e\u202ev", "t\udb40\udc41"]`},
		{`{"emoji":"👨` + "\u200d" + `👩","é":"東京"}`, `{"emoji":"👨` + "\u200d" + `👩","é":"東京"}`},
	}
	for _, c := range cases {
		if got := string(JSON([]byte(c.in))); got != c.want {
			t.Errorf("JSON(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// checkJSON fails unless out is raw with the same values, on one line,
// holding nothing Display would change.
func checkJSON(t *testing.T, raw []byte) {
	t.Helper()
	var before any
	if json.Unmarshal(raw, &before) != nil {
		return
	}
	out := JSON(raw)
	var after any
	if err := json.Unmarshal(out, &after); err != nil || !reflect.DeepEqual(before, after) {
		t.Fatalf("JSON(%q) = %q reads back as %v (%v), want %v", raw, out, after, err, before)
	}
	if Display(string(out)) != string(out) || strings.ContainsAny(string(out), "\n\r\t") {
		t.Fatalf("JSON(%q) = %q holds a hidden character or a line break", raw, out)
	}
}

func FuzzJSON(f *testing.F) {
	for _, s := range []string{`{"a":"\u001b"}`, "[\"\x9b\"]", "\"\u009b\"", "{\n}", `"\ud83d\ude00"`, "\"\U000e0041\ufe0f\"", `["a\\u"]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) { checkJSON(t, raw) })
}

func FuzzDisplay(f *testing.F) {
	for _, s := range []string{"", "abc", "\x1b[31m", "\u009b", "\u202e", "\xff", "東京", "👨\u200d👩", "a\ufe0f", "\U000e0041"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := Display(s)
		checkShown(t, "Display", s, d)
		if Display(d) != d {
			t.Fatalf("Display is not idempotent on %q", s)
		}
		for _, l := range Lines(s) {
			checkShown(t, "Lines", s, l)
		}
		checkShown(t, "Escape", s, Escape(s))
		checkShown(t, "Cell", s, Cell(s))
		o := OneLine(s)
		checkShown(t, "OneLine", s, o)
		if strings.ContainsAny(o, "\t\n\r") || strings.HasPrefix(o, " ") || strings.HasSuffix(o, " ") || strings.Contains(o, "  ") {
			t.Fatalf("OneLine(%q) = %q is not one trimmed line", s, o)
		}
	})
}

func TestCut(t *testing.T) {
	cases := []struct {
		name string
		f    func(string, int) (string, bool)
		in   string
		n    int
		want string
		cut  bool
	}{
		{"Cut", Cut, "short", 10, "short", false},
		{"Cut", Cut, "exactly10!", 10, "exactly10!", false},
		{"Cut", Cut, "abcdefghijk", 5, "abcde", true},
		{"Cut", Cut, "ab東京", 4, "ab", true},
		{"Cut", Cut, "ab👨\u200d👩\u200d👧", 8, "ab", true},
		{"Cut", Cut, "e\u0301e\u0301", 4, "e\u0301", true},
		{"Cut", Cut, "東京", 2, "", true},
		{"Cut", Cut, "ab", 0, "", true},
		{"Cut", Cut, "👨\u200d👩", 5, "👨", true}, // one cluster longer than n: cut between runes
		{"CutChars", CutChars, "ééééé", 5, "ééééé", false},
		{"CutChars", CutChars, "éééééé", 5, "ééééé", true},
		{"CutChars", CutChars, "👨\u200d👩\u200d👧x", 1, "👨\u200d👩\u200d👧", true},
		{"CutChars", CutChars, "ab", 0, "", true},
	}
	for _, c := range cases {
		got, cut := c.f(c.in, c.n)
		if got != c.want || cut != c.cut {
			t.Errorf("%s(%q, %d) = %q, %v; want %q, %v", c.name, c.in, c.n, got, cut, c.want, c.cut)
		}
		if !utf8.ValidString(got) || !strings.HasPrefix(c.in, got) {
			t.Errorf("%s(%q, %d) = %q is not a valid start", c.name, c.in, c.n, got)
		}
	}
}

// TestWrapFitsEitherRenderer: ZWJ emoji, selectors, skin tones, combining
// marks, Indic conjuncts and Hangul jamo, whose cluster and per-character
// widths differ, wrap into lines that fit by both measures and lose nothing.
func TestWrapFitsEitherRenderer(t *testing.T) {
	pieces := []string{"👨\u200d👩\u200d👧", "❤\ufe0f", "👍🏽", "🇺🇸", "e\u0301\u0302", "क्षि", "ᄀ\u1161\u11a8", "ก\u0e33", "東", "a", " ", ",", "/", "👩🏽\u200d💻"}
	r := rand.New(rand.NewPCG(4, 4))
	for range 2000 {
		var b strings.Builder
		for range r.IntN(30) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := Display(b.String())
		width := 1 + r.IntN(12)
		lines := Wrap(s, width)
		if strings.Join(lines, "") != s {
			t.Fatalf("Wrap(%q, %d) = %q loses or adds text", s, width, lines)
		}
		for _, l := range lines {
			if graphemes.FromString(l).First() == l {
				continue // one cluster wider than the line
			}
			if g, wc := ansi.StringWidth(l), ansi.StringWidthWc(l); g > width || wc > width || Width(l) > width {
				t.Fatalf("Wrap(%q, %d) gives %q: %d cells as clusters, %d as characters", s, width, l, g, wc)
			}
		}
	}
	if got := Wrap("alpha beta, gamma", 8); strings.Join(got, "|") != "alpha |beta, |gamma" {
		t.Errorf("Wrap breaks after spaces and commas: %q", got)
	}
}
