package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
)

// clip runs a clipboard command and returns what it would copy.
func clip(t *testing.T, m *Model, k string) (*Model, string) {
	t.Helper()
	nm, cmd := m.Update(keyMsg(k))
	if cmd == nil {
		t.Fatalf("%s should return a clipboard command; screen:\n%s", k, screenText(nm.(*Model)))
	}
	return nm.(*Model), fmt.Sprint(cmd())
}

func TestMarksSurviveAFilterAndAreCounted(t *testing.T) {
	m := loaded(t, 120, 40)
	first, _ := m.list.Selected()
	m = press(t, m, "space", "space")
	if len(m.marks) != 2 || !m.marks.has(int32(first)) {
		t.Fatalf("two spaces should mark two rows, marks %v", m.marks)
	}
	s := screenText(m)
	if !strings.Contains(s, "marked 2") || strings.Count(s, "●") != 2 {
		t.Fatalf("the status bar should count the marks and the rows show them:\n%s", s)
	}
	m = press(t, m, "/")
	m = typeText(t, m, "zzz-nothing")
	m = press(t, m, "enter")
	if !strings.Contains(screenText(m), "marked 2") {
		t.Fatalf("marks should survive a filter that hides them:\n%s", screenText(m))
	}
	m = press(t, m, "esc", "g", "space")
	if len(m.marks) != 1 {
		t.Fatalf("space on a marked row should unmark it, marks %v", m.marks)
	}
	m = press(t, m, "M")
	if len(m.marks) != 0 || strings.Contains(screenText(m), "●") {
		t.Fatal("M should unmark every row")
	}
}

func TestYCopiesTheMarkedRows(t *testing.T) {
	m := press(t, loaded(t, 120, 40), "g", "space", "j", "space")
	a, b := m.set.At(m.list.EventAt(0)), m.set.At(m.list.EventAt(2))
	m, got := clip(t, m, "Y")
	if got != a.ID+"\n"+b.ID+"\n" {
		t.Fatalf("Y with marks should copy their ids in list order, got %q", got)
	}
	m, got = clip(t, m, "y")
	if lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n"); len(lines) != 2 || !strings.Contains(lines[1], b.ID) {
		t.Fatalf("y with marks should copy them as JSON Lines, got %q", got)
	}
	if !strings.Contains(screenText(m), "copied the 2 marked events") {
		t.Fatalf("the status bar should say what was copied:\n%s", screenText(m))
	}
}

// exportTo opens e, replaces the offered name with path and presses enter.
func exportTo(t *testing.T, m *Model, path string) *Model {
	t.Helper()
	m = press(t, m, "e")
	if !onTop[*exportPrompt](m) {
		t.Fatalf("e should open the export prompt:\n%s", screenText(m))
	}
	m = press(t, m, "ctrl+c")
	m = typeText(t, m, path)
	return press(t, m, "enter")
}

func TestExportWritesWhatTheListShows(t *testing.T) {
	m := loaded(t, 120, 40)
	m = press(t, m, "/")
	m = typeText(t, m, "login.failed")
	m = press(t, m, "enter")
	want := m.list.Len()
	if want == 0 || want == m.set.Len() {
		t.Fatalf("the filter should select some rows, %d of %d", want, m.set.Len())
	}
	m = press(t, m, "e")
	if s := screenText(m); !strings.Contains(s, "export to audit-") || !strings.Contains(s, "login.failed.jsonl") {
		t.Fatalf("the prompt should offer a name after the day and the filter:\n%s", s)
	}
	m = press(t, m, "esc")
	path := filepath.Join(t.TempDir(), "failed.jsonl")
	m = exportTo(t, m, path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != want {
		t.Fatalf("the file has %d lines, the list %d", len(lines), want)
	}
	for _, l := range lines {
		if !strings.Contains(l, `"login.failed"`) {
			t.Fatalf("an event the list does not show was exported: %s", l)
		}
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("the export is %v, want 0600", fi.Mode().Perm())
	}
	if s := screenText(m); !strings.Contains(s, fmt.Sprintf("exported %d events to", want)) {
		t.Fatalf("the status bar should say how many went where:\n%s", s)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".auditui-export-*")); len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

func TestExportNeverOverwritesUnasked(t *testing.T) {
	m := loaded(t, 120, 40)
	path := filepath.Join(t.TempDir(), "kept.json")
	if err := os.WriteFile(path, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	m = exportTo(t, m, path)
	if s := screenText(m); !onTop[*exportPrompt](m) || !strings.Contains(s, "exists: enter replaces it") {
		t.Fatalf("an existing file should be asked about:\n%s", s)
	}
	m = press(t, m, "esc")
	if data, _ := os.ReadFile(path); string(data) != "precious" {
		t.Fatalf("esc at the question should keep the file, it holds %q", data)
	}
	m = exportTo(t, m, path)
	m = press(t, m, "enter")
	if s := screenText(m); !strings.Contains(s, "exported 150 events") {
		t.Fatalf("the replacement should be confirmed:\n%s", s)
	}
	data, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(data), "[\n{") || !strings.HasSuffix(string(data), "]\n") {
		t.Fatalf("enter at the question should replace the file with a JSON array, it holds %.60q", data)
	}
}

func TestExportMarkedRowsAsCSV(t *testing.T) {
	m := press(t, loaded(t, 120, 40), "g", "space", "space", "space")
	path := filepath.Join(t.TempDir(), "three.csv")
	m = exportTo(t, m, path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; screen:\n%s", err, screenText(m))
	}
	if n := strings.Count(string(data), "\n"); n != 4 {
		t.Fatalf("a header and the 3 marked rows, got %d lines:\n%s", n, data)
	}
	if !strings.HasPrefix(string(data), "id,effective_at,type") {
		t.Fatalf("the .csv name should pick the CSV writer:\n%s", data)
	}
}

func TestExportRefusesAnUnknownExtension(t *testing.T) {
	m := loaded(t, 120, 40)
	path := filepath.Join(t.TempDir(), "out.xlsx")
	m = exportTo(t, m, path)
	if s := screenText(m); !onTop[*exportPrompt](m) || !strings.Contains(s, ".xlsx is not a format") {
		t.Fatalf("an unknown extension should be said in the prompt:\n%s", s)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("nothing should be written")
	}
}

func TestExportToAMissingDirectorySaysSo(t *testing.T) {
	m := loaded(t, 200, 40)
	m = exportTo(t, m, filepath.Join(t.TempDir(), "no", "such", "x.jsonl"))
	if s := screenText(m); !strings.Contains(s, "not exported") || !strings.Contains(s, "no such file or directory") {
		t.Fatalf("a failed export should say why:\n%s", s)
	}
}

func TestCopyViewAsCommandFoldsTheFilter(t *testing.T) {
	m := loaded(t, 200, 40)
	m.query.text = "type:login.* since:7d" // as : would put it in force, without a fetch
	m = press(t, m, "/")
	m = typeText(t, m, "o'brien")
	m = press(t, m, "enter")
	m, got := clip(t, m, "E")
	want := `auditui export -q 'since:7d type:login.failed type:login.succeeded o'\''brien'`
	if !strings.HasPrefix(got, "auditui export -q 'since:7d type:login.") || !strings.HasSuffix(got, ` o'\''brien'`) {
		t.Fatalf("E should copy the view as a command like\n%s\ngot\n%s", want, got)
	}
	q := strings.TrimSuffix(strings.TrimPrefix(got, "auditui export -q '"), "'")
	q = strings.ReplaceAll(q, `'\''`, "'")
	if strings.Contains(q, "login.*") {
		t.Fatalf("the glob should be expanded into the type set: %s", q)
	}
	if !strings.Contains(screenText(m), "copied: auditui export") {
		t.Fatalf("the status bar should show the command:\n%s", screenText(m))
	}
}

func TestCopyViewIntersectsPickedTypes(t *testing.T) {
	m := loaded(t, 200, 40)
	m.types = []string{"login.failed", "api_key.created"}
	m.query.text = "type:login.*"
	_, got := clip(t, m, "E")
	if got != "auditui export -q 'type:login.failed'" {
		t.Fatalf("picked types and the query's types should intersect, got %s", got)
	}
}

func TestCFieldCopiesOneSanitisedValue(t *testing.T) {
	e := decode(t, `{"id":"evt_x","type":"login.failed","effective_at":1700000000,
	 "actor":{"type":"session","session":{"user":{"id":"u1","email":"eve@example.com"},"ip_address":"10.0.0.1\u001b[2J\nforged"}}}`)
	m := feed(t, newTestModel(&pagedSource{name: "demo"}, 120, 40), []model.Event{e}, 10)
	m = press(t, m, "C")
	if s := screenText(m); !strings.Contains(s, "a actor") || !strings.Contains(s, "i IP") {
		t.Fatalf("C should list the event's fields:\n%s", s)
	}
	m, got := clip(t, m, "i")
	if strings.ContainsAny(got, "\x1b\n") || !strings.HasPrefix(got, "10.0.0.1") {
		t.Fatalf("the copied IP should be one escaped line, got %q", got)
	}
	if onTop[*fieldCopier](m) {
		t.Fatal("copying should close the field line")
	}
}

// TestCopyViewAddsTheSourceFlags: the copied command reads the same
// events as the browser, each flag one shell word.
func TestCopyViewAddsTheSourceFlags(t *testing.T) {
	m := loaded(t, 200, 40)
	m.opts.SourceArgs = []string{"--file", "/tmp/it's here/x.jsonl", "--offline"}
	m.query.text = "type:login.failed"
	_, got := clip(t, m, "E")
	if want := `auditui export -q 'type:login.failed' --file '/tmp/it'\''s here/x.jsonl' --offline`; got != want {
		t.Fatalf("E copied\n%s\nwant\n%s", got, want)
	}
}
