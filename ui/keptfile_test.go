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
