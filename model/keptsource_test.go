package model

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"iter"
	"slices"
	"testing"
	"unicode/utf16"
)

// pageAll is every event src pages for q, and the records it skipped.
func pageAll(t *testing.T, src Source, q Query) ([]Event, []RecordError) {
	t.Helper()
	var out []Event
	var skipped []RecordError
	for p, err := range src.Pages(context.Background(), q) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Events...)
		skipped = append(skipped, p.Skipped...)
	}
	return out, skipped
}

// want is what a MemorySource over input's events answers to q.
func want(t *testing.T, input []byte, q Query) []string {
	t.Helper()
	events, _, err := ReadEvents(bytes.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := pageAll(t, NewMemorySource("mem", events), q)
	return ids(got)
}

// TestKeptFileSourcePassesAndKeeps: the first pass pages a newest-first
// file in order with its records left in the file, and later queries (a
// filter, After) are answered from what it kept, as a MemorySource would.
func TestKeptFileSourcePassesAndKeeps(t *testing.T) {
	input := syntheticJSONL(5000)
	src := NewKeptFileSource("events.jsonl", writeTemp(t, input))
	defer src.Close()
	first, _ := pageAll(t, src, Query{})
	if got := ids(first); !slices.Equal(got, want(t, input, Query{})) {
		t.Fatalf("first pass: %d events, not the file's %d in order", len(got), len(want(t, input, Query{})))
	}
	if raw, err := first[10].JSON(); first[10].Raw != nil || err != nil || !bytes.Contains(input, raw) {
		t.Fatalf("event 10 holds %d bytes, reads back %q, %v", len(first[10].Raw), raw, err)
	}
	q := Query{Filter: Filter{Types: []string{"login.failed"}}, PageSize: 7}
	if got, w := ids(paged(t, src, q)), want(t, input, q); !slices.Equal(got, w) || len(w) == 0 {
		t.Fatalf("a filter after the pass: %d events, want %d", len(got), len(w))
	}
	q = Query{After: first[4000].ID}
	if got, w := ids(paged(t, src, q)), want(t, input, q); !slices.Equal(got, w) || len(w) != 999 {
		t.Fatalf("after the 4001st: %d events, want %d", len(got), len(w))
	}
}

// paged is the events src pages for q.
func paged(t *testing.T, src Source, q Query) []Event { e, _ := pageAll(t, src, q); return e }

// TestKeptFileSourceQueryDuringPass: a query asked while the pass is still
// reading answers from what is kept and follows the pass to the same
// answer as after it.
func TestKeptFileSourceQueryDuringPass(t *testing.T) {
	input := syntheticJSONL(6000)
	r, w := io.Pipe()
	src := NewKeptFileSource("stdin", r)
	defer src.Close()
	half := bytes.Index(input[len(input)/2:], []byte("\n{")) + len(input)/2 + 1
	go func() { w.Write(input[:half]) }()
	next, stop := iter.Pull2(src.Pages(context.Background(), Query{}))
	defer stop()
	if p, err, ok := next(); !ok || err != nil || len(p.Events) == 0 {
		t.Fatalf("the first page: %v %v", err, ok)
	}
	q := Query{Filter: Filter{Types: []string{"login.failed"}}}
	more, stop2 := iter.Pull2(src.Pages(context.Background(), q))
	defer stop2()
	p, err, ok := more() // from the kept prefix: the rest is not written yet
	if !ok || err != nil || len(p.Events) == 0 || !p.HasMore {
		t.Fatalf("the filter's first page during the pass: %d events, %v %v", len(p.Events), err, ok)
	}
	got := ids(p.Events)
	go func() { w.Write(input[half:]); w.Close() }()
	for p, err, ok := more(); ok; p, err, ok = more() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ids(p.Events)...)
	}
	if w := want(t, input, q); !slices.Equal(got, w) {
		t.Fatalf("a filter during the pass: %d events, want %d", len(got), len(w))
	}
}

// TestKeptFileSourceUnordered: a file out of order (oldest first) comes out
// newest first, as a MemorySource sorts it, from a pipe or a file.
func TestKeptFileSourceUnordered(t *testing.T) {
	lines := bytes.SplitAfter(syntheticJSONL(4000), []byte("\n"))
	slices.Reverse(lines)
	input := slices.Concat(lines...)
	for name, r := range map[string]io.Reader{"pipe": bytes.NewReader(input), "file": writeTemp(t, input)} {
		got, _ := pageAll(t, NewKeptFileSource(name, r), Query{})
		if w := want(t, input, Query{}); !slices.Equal(ids(got), w) {
			t.Fatalf("%s: %d events not sorted newest first as %d", name, len(got), len(w))
		}
		if !slices.IsSortedFunc(got, func(a, b Event) int { return b.EffectiveAt.Compare(a.EffectiveAt) }) {
			t.Fatalf("%s: not newest first", name)
		}
	}
}

// TestKeptFileSourceSkippedAndUTF16: unreadable records reach the pages and
// Skipped with their lines; a UTF-16 file is read, its records held.
func TestKeptFileSourceSkippedAndUTF16(t *testing.T) {
	src := NewKeptFileSource("bad.jsonl", writeTemp(t, []byte(recA+"\n{\"id\":\"x\",\"type\":7}\n"+recB+"\n")))
	events, skipped := pageAll(t, src, Query{})
	if len(events) != 2 || len(skipped) != 1 || skipped[0].Line != 2 || !slices.Equal(src.Skipped(), skipped) {
		t.Fatalf("%d events, skipped %v (Skipped %v)", len(events), skipped, src.Skipped())
	}
	units := utf16.Encode([]rune("\uFEFF" + recA + "\n" + recB + "\n"))
	b := make([]byte, 2*len(units))
	for i, u := range units {
		binary.LittleEndian.PutUint16(b[2*i:], u)
	}
	events, _ = pageAll(t, NewKeptFileSource("utf16.jsonl", writeTemp(t, b)), Query{})
	if len(events) != 2 || events[0].Raw == nil {
		t.Fatalf("UTF-16: %d events, first holds %d bytes", len(events), len(events[0].Raw))
	}
}
