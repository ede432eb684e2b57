package ui

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

// fileModels loads the hostile synthetic organisation twice: held, and
// from a file that keeps the records; it returns both and the file.
func fileModels(t *testing.T) (held, fromFile *Model, path string) {
	t.Helper()
	data, f, fe, err := fakeapi.OpenJSONL(t.TempDir(), fakeapi.Org(fakeapi.OrgOptions{Events: 500, Seed: 5, Hostile: true}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	he, _, err := model.ReadEvents(bytes.NewReader(data))
	if err != nil || len(he) != len(fe) || fe[0].Raw != nil {
		t.Fatalf("held %d events (%v), from the file %d, the first holding %d bytes", len(he), err, len(fe), len(fe[0].Raw))
	}
	held = feed(t, newTestModel(&pagedSource{name: "org.jsonl"}, 120, 40), he, 100)
	fromFile = feed(t, newTestModel(&pagedSource{name: "org.jsonl"}, 120, 40), fe, 100)
	return held, fromFile, f.Name()
}

// TestFileRecordsShowAndCopyAsHeld: the raw view, the full view, copying
// one event and copying marked ones give the same as when records are held.
func TestFileRecordsShowAndCopyAsHeld(t *testing.T) {
	held, fromFile, _ := fileModels(t)
	for _, keys := range [][]string{{"g", "r"}, {"j", "j"}, {"enter"}, {"r"}, {"esc", "G", "r"}} {
		held, fromFile = press(t, held, keys...), press(t, fromFile, keys...)
		if h, f := screenText(held), screenText(fromFile); h != f {
			t.Fatalf("after %q the screens differ; held:\n%s\nfrom the file:\n%s", keys, h, f)
		}
	}
	held, fromFile = press(t, held, "esc", "g"), press(t, fromFile, "esc", "g")
	for i := range 5 { // the newest rows hold the hostile records
		var h, f string
		held, h = clip(t, held, "y")
		fromFile, f = clip(t, fromFile, "y")
		if h != f || !strings.Contains(f, `"id"`) {
			t.Fatalf("row %d: y copied %q from the file, %q held", i, f, h)
		}
		held, fromFile = press(t, held, "space"), press(t, fromFile, "space")
	}
	var h, f string
	_, h = clip(t, held, "y")
	_, f = clip(t, fromFile, "y")
	if h != f || strings.Count(f, "\n") != 5 {
		t.Fatalf("y with 5 marked rows copied %q from the file, %q held", f, h)
	}
}

// TestFileChangedAfterLoading: a file cut short under the browser is said
// to be in the raw view and when copying, with one line; nothing panics and
// no other bytes are shown or copied.
func TestFileChangedAfterLoading(t *testing.T) {
	_, m, path := fileModels(t)
	m = press(t, m, "g")
	if err := os.Truncate(path, 100); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, "r")
	if !onScreen(m, "org.jsonl changed since it was loaded") {
		t.Fatalf("the raw view of a record no longer in its file should say so:\n%s", screenText(m))
	}
	nm, cmd := m.Update(keyMsg("y"))
	m = nm.(*Model)
	if cmd != nil {
		t.Fatalf("y copied %q from a changed file", cmd())
	}
	if !onScreen(m, "changed since it was loaded") {
		t.Fatalf("y should say why nothing was copied:\n%s", screenText(m))
	}
	m = press(t, m, "space", "j", "space")
	if nm, cmd = m.Update(keyMsg("y")); cmd != nil {
		t.Fatalf("y with marks copied %q from a changed file", cmd())
	}
	if !onScreen(nm.(*Model), "changed since it was loaded") {
		t.Fatalf("y with marks should say why nothing was copied:\n%s", screenText(nm.(*Model)))
	}
}
