package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/auditui/auditui/model"
)

// FuzzCSVRow: whatever the names in a record, the CSV row parses back into
// the nine columns, no cell can start a formula and no control character
// other than tab and line breaks reaches the output.
func FuzzCSVRow(f *testing.F) {
	for _, s := range []string{"", "=1+1", "-2", "+x", "@SUM(A1)", "\tx", "\rx", "a,b", `"q"`, "\x1b[2J", "\u009b31m", "名前", "\u202eevil", "line\nbreak", " ;\u00a0=x", "\n@y"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, email, project string) {
		if !utf8.ValidString(email) || !utf8.ValidString(project) {
			t.Skip() // JSON strings hold valid UTF-8 only
		}
		raw, _ := json.Marshal(map[string]any{
			"id": "audit_log-f", "type": "project.updated", "effective_at": 1722461446,
			"actor":           map[string]any{"type": "session", "session": map[string]any{"user": map[string]any{"id": "u", "email": email}}},
			"project":         map[string]any{"id": "proj_f", "name": project},
			"project.updated": map[string]any{"id": "proj_f", "changes_requested": map[string]any{"title": project}},
		})
		e, err := model.DecodeEvent(raw)
		if err != nil {
			t.Fatalf("decode %s: %v", raw, err)
		}
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, CSV)
		if err := w.Write(&e); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
		if err != nil || len(rows) != 2 || len(rows[1]) != len(CSVHeader) {
			t.Fatalf("output does not parse as header and one row of %d: %v\n%q", len(CSVHeader), err, buf.String())
		}
		for i, cell := range rows[1] {
			if fault := formulaField(cell); fault != "" {
				t.Errorf("column %s = %q: %s", CSVHeader[i], cell, fault)
			}
		}
		for _, r := range strings.TrimSuffix(buf.String(), "\n") {
			if r < 0x20 && r != '\n' || r >= 0x7f && r < 0xa0 {
				t.Fatalf("control character %U in the output", r)
			}
		}
		if !utf8.ValidString(buf.String()) || strings.Count(buf.String(), "\n") != 2 {
			t.Fatalf("the row is not one line: %q", buf.String())
		}
	})
}
