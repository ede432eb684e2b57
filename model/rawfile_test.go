package model

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// writeTemp writes b to a file of the test's and opens it.
func writeTemp(t *testing.T, b []byte) *os.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "events.jsonl")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// readBoth reads input as held records and from a file, which must give
// the same events: the same record bytes from JSON, the same fields.
func readBoth(t *testing.T, input []byte) (held, file []Event) {
	t.Helper()
	held, hskip, herr := ReadEvents(bytes.NewReader(input))
	file, fskip, ferr := ReadFileEvents(context.Background(), writeTemp(t, input), "events.jsonl")
	if herr != nil || ferr != nil || !reflect.DeepEqual(hskip, fskip) || len(held) != len(file) {
		t.Fatalf("held: %d events, skipped %v, %v; from the file: %d, skipped %v, %v", len(held), hskip, herr, len(file), fskip, ferr)
	}
	for i := range held {
		raw, err := file[i].JSON()
		if err != nil || !bytes.Equal(raw, held[i].Raw) {
			t.Fatalf("event %d read back as %q, %v; want %q", i, raw, err, held[i].Raw)
		}
		if file[i].RawLen() != len(held[i].Raw) {
			t.Errorf("event %d: RawLen %d, want %d", i, file[i].RawLen(), len(held[i].Raw))
		}
		h, f := held[i], file[i]
		if f.at.home != nil {
			h.Raw, f.at = nil, rawAt{}
		}
		if !reflect.DeepEqual(h, f) {
			t.Fatalf("event %d decoded as\n%+v\nfrom the file, as\n%+v\nheld", i, f, h)
		}
	}
	return held, file
}

func TestReadFileEventsSameAsHeld(t *testing.T) {
	list, err := os.ReadFile("testdata/example-list-response.json")
	if err != nil {
		t.Fatal(err)
	}
	object, err := os.ReadFile("testdata/example-audit-log-object.json") // pretty-printed
	if err != nil {
		t.Fatal(err)
	}
	jsonl := syntheticJSONL(5000) // several chunks
	var array bytes.Buffer        // a record per line, indented, over several chunks
	array.WriteString("[\n")
	for i, line := range bytes.Split(bytes.TrimSpace(jsonl), []byte("\n")) {
		if i > 0 {
			array.WriteString(",\n")
		}
		array.WriteString("  ")
		array.Write(line)
	}
	array.WriteString("\n]\n")
	damaged := strings.Join([]string{recA, "{not json", recB, `{"id":"x"}`, recC}, "\n")
	for name, input := range map[string][]byte{
		"list response": list, "one record": object, "two": append(slices.Clip(object), object...), "jsonl": jsonl, "array": array.Bytes(),
		"bom and crlf": []byte("\xEF\xBB\xBF" + recA + "\r\n" + recB + "\r\n"), "damaged": []byte(damaged),
	} {
		t.Run(name, func(t *testing.T) {
			held, file := readBoth(t, input)
			if len(held) == 0 {
				t.Fatal("no events read")
			}
			for i := range file {
				if file[i].Raw != nil {
					t.Fatalf("event %d holds its record", i)
				}
			}
		})
	}
}

// TestReadFileEventsUTF16IsHeld: text converted as it is read is not the
// file's bytes, so its records are held.
func TestReadFileEventsUTF16IsHeld(t *testing.T) {
	units := utf16.Encode([]rune("\uFEFF" + recA + "\n" + recB + "\n"))
	b := make([]byte, 2*len(units))
	for i, u := range units {
		binary.LittleEndian.PutUint16(b[2*i:], u)
	}
	held, file := readBoth(t, b)
	if len(file) != 2 || !bytes.Equal(file[0].Raw, held[0].Raw) {
		t.Fatalf("UTF-16 from a file: %d events, first %q", len(file), file[0].Raw)
	}
}

// TestReadFileEventsPartWay: a file read from part way (stdin redirected
// after something read its start) reads its records back from where they are.
func TestReadFileEventsPartWay(t *testing.T) {
	input := recA + "\n" + recB + "\n" + recC + "\n"
	f := writeTemp(t, []byte(input))
	if _, err := f.Seek(int64(len(recA)+1), 0); err != nil {
		t.Fatal(err)
	}
	events, _, err := ReadFileEvents(context.Background(), f, "stdin")
	if err != nil || len(events) != 2 {
		t.Fatalf("%d events, %v", len(events), err)
	}
	for i, want := range []string{recB, recC} {
		if raw, err := events[i].JSON(); err != nil || string(raw) != want {
			t.Errorf("event %d read back as %q, %v; want %q", i, raw, err, want)
		}
	}
}

// TestReadFileEventsChangedFile: a file cut short, rewritten (even to the
// same size and time) or closed after loading gives one line saying so,
// never other bytes.
func TestReadFileEventsChangedFile(t *testing.T) {
	input := []byte(recA + "\n" + recB + "\n" + recC + "\n")
	load := func(t *testing.T) (*os.File, []Event) {
		f := writeTemp(t, input)
		events, _, err := ReadFileEvents(context.Background(), f, "events.jsonl")
		if err != nil || len(events) != 3 {
			t.Fatalf("%d events, %v", len(events), err)
		}
		return f, events
	}
	check := func(t *testing.T, events []Event, want string) {
		t.Helper()
		for i := range events {
			raw, err := events[i].JSON()
			if err == nil || raw != nil {
				t.Fatalf("event %d read back as %q after the change", i, raw)
			}
			if msg := err.Error(); !strings.Contains(msg, want) || strings.Contains(msg, "\n") {
				t.Errorf("event %d: %q, want one line saying %q", i, msg, want)
			}
		}
	}
	t.Run("cut short", func(t *testing.T) {
		f, events := load(t)
		if err := os.Truncate(f.Name(), int64(len(recA))); err != nil {
			t.Fatal(err)
		}
		check(t, events[1:], "changed since it was loaded")
	})
	t.Run("same size and time", func(t *testing.T) {
		f, events := load(t)
		fi, _ := f.Stat()
		other := bytes.ReplaceAll(input, []byte("audit_log-"), []byte("audit_log_"))
		if len(other) != len(input) || bytes.Equal(other, input) {
			t.Fatal("the rewrite must keep the size and change the bytes")
		}
		if err := os.WriteFile(f.Name(), other, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(f.Name(), time.Time{}, fi.ModTime()); err != nil {
			t.Fatal(err)
		}
		check(t, events, "changed since it was loaded")
	})
	t.Run("closed", func(t *testing.T) {
		f, events := load(t)
		f.Close()
		check(t, events, "cannot read event")
	})
}

// TestFileSourceInFile: a FileSource told to leave records in the file
// pages the same events as one holding them, in order or sorted.
func TestFileSourceInFile(t *testing.T) {
	ordered := syntheticJSONL(3000)
	lines := bytes.SplitAfter(ordered, []byte("\n"))
	unordered := slices.Concat(append(slices.Clone(lines[1000:2000]), lines[:1000]...)...)
	for name, input := range map[string][]byte{"newest first": ordered, "out of order": unordered} {
		t.Run(name, func(t *testing.T) {
			page := func(src *FileSource) []Event {
				var out []Event
				for p, err := range src.Pages(context.Background(), Query{}) {
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, p.Events...)
				}
				return out
			}
			held := page(NewFileSource("held", bytes.NewReader(input)))
			src := NewFileSource("events.jsonl", writeTemp(t, input))
			src.InFile = true
			file := page(src)
			if len(held) != len(file) || len(file) == 0 {
				t.Fatalf("%d events from the file, %d held", len(file), len(held))
			}
			for i := range held {
				raw, err := file[i].JSON()
				if file[i].Raw != nil || err != nil || !bytes.Equal(raw, held[i].Raw) {
					t.Fatalf("event %d: holds %d bytes, reads back %q, %v; want %q", i, len(file[i].Raw), raw, err, held[i].Raw)
				}
			}
		})
	}
}
