package ui

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

// TestKeptFileBrowser: the browser over a streamed file loads every event,
// its list ends newest first when the file is not, it says the first
// unreadable record in its status line, and fetching a history is local.
func TestKeptFileBrowser(t *testing.T) {
	_, data, err := fakeapi.SaveJSONL(t.TempDir(), fakeapi.Org(fakeapi.OrgOptions{Events: 3000, Seed: 5, Hostile: true}))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	lines[len(lines)-1] = append(lines[len(lines)-1], '\n')
	bad := []byte("{\"id\":\"x\u202e\",\"type\":7}\n")
	newest := slices.Concat(append([][]byte{lines[0], lines[1], bad}, lines[2:]...)...)
	slices.Reverse(lines)
	oldest := slices.Concat(append([][]byte{lines[0], lines[1], bad}, lines[2:]...)...)
	for name, body := range map[string][]byte{"newest first": newest, "oldest first": oldest} {
		t.Run(name, func(t *testing.T) {
			path := t.TempDir() + "/org.jsonl"
			if err := os.WriteFile(path, body, 0o600); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			src := model.NewKeptFileSource("org.jsonl", f)
			defer src.Close()
			opts := Options{Source: src, FromFile: true, Now: func() time.Time { return testNow }, Location: testZone}
			if _, local := historyFetch(opts); !local {
				t.Fatal("a history from the kept file is not local")
			}
			m := send(New(opts), tea.WindowSizeMsg{Width: 200, Height: 50})
			m = pump(t, m, m.Init(), func(m *Model) bool { return m.stream.exhausted || m.stream.err != nil })
			if m.stream.err != nil || m.set.Len() != 3000 {
				t.Fatalf("loaded %d events, %v", m.set.Len(), m.stream.err)
			}
			for i := 1; i < m.set.Len(); i++ {
				if m.set.At(i).EffectiveAt.After(m.set.At(i - 1).EffectiveAt) {
					t.Fatalf("row %d is newer than row %d", i+1, i)
				}
			}
			if s := screenText(m); !strings.Contains(s, "skipped 1 unreadable record; the first: line 3: ") {
				t.Fatalf("the status line does not say the skipped record:\n%s", s)
			}
		})
	}
}

// TestKeptFileNewerHalfSecond: two newest-first exports concatenated, the
// older one first (as `cat oct.jsonl nov.jsonl` makes). The list ends in
// time order with the newest event selected, since nobody moved.
func TestKeptFileNewerHalfSecond(t *testing.T) {
	_, data, err := fakeapi.SaveJSONL(t.TempDir(), fakeapi.Org(fakeapi.OrgOptions{Events: 6000, Seed: 7}))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	lines = lines[:len(lines)-1] // the empty rest after the last newline
	half := len(lines) / 2
	path := t.TempDir() + "/cat.jsonl"
	if err := os.WriteFile(path, slices.Concat(slices.Concat(lines[half:]...), slices.Concat(lines[:half]...)), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src := model.NewKeptFileSource("cat.jsonl", f)
	defer src.Close()
	m := send(New(Options{Source: src, FromFile: true, Now: func() time.Time { return testNow }, Location: testZone}), tea.WindowSizeMsg{Width: 120, Height: 30})
	m = pump(t, m, m.Init(), func(m *Model) bool {
		return m.stream.exhausted && !m.filter.job.running && m.list.Len() == m.set.Len() && m.set.Len() > 0
	})
	if m.list.Len() != 6000 {
		t.Fatalf("shows %d of 6000 events", m.list.Len())
	}
	for r := 1; r < m.list.Len(); r++ {
		if m.set.At(m.list.EventAt(r)).EffectiveAt.After(m.set.At(m.list.EventAt(r - 1)).EffectiveAt) {
			t.Fatalf("row %d is newer than row %d", r+1, r)
		}
	}
	newest := string(lines[0][:bytes.IndexByte(lines[0], ',')])
	if got := selectedID(m); !strings.Contains(newest, got) || m.list.cursor != 0 || m.list.offset != 0 {
		t.Errorf("selected %s at row %d (offset %d); want the newest, %s, at the top", got, m.list.cursor, m.list.offset, newest)
	}
}

// A load of 100,000 events or more returns its garbage to the operating
// system once it ends; a small one does not pay for a collection.
func TestReturnMemoryOnlyAfterLargeLoads(t *testing.T) {
	if returnMemory(99_999) != nil {
		t.Error("a load of 99,999 events should not force a collection")
	}
	cmd := returnMemory(100_000)
	if cmd == nil {
		t.Fatal("a load of 100,000 events should give its memory back")
	}
	if msg := cmd(); msg != nil {
		t.Errorf("the command should send no message, sent %T", msg)
	}
}
