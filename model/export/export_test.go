package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/auditui/auditui/model"
)

// pagesSource yields fixed pages, then err if set: enough to drive Copy.
type pagesSource struct {
	pages []model.Page
	err   error
	asked []model.Query
}

func (s *pagesSource) Name() string { return "test" }

func (s *pagesSource) Pages(ctx context.Context, q model.Query) iter.Seq2[model.Page, error] {
	s.asked = append(s.asked, q)
	return func(yield func(model.Page, error) bool) {
		for _, p := range s.pages {
			if ctx.Err() != nil {
				yield(model.Page{}, ctx.Err())
				return
			}
			if !yield(p, nil) {
				return
			}
		}
		if s.err != nil {
			yield(model.Page{}, s.err)
		}
	}
}

func decode(t *testing.T, raw string) model.Event {
	t.Helper()
	e, err := model.DecodeEvent([]byte(raw))
	if err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return e
}

// Records with odd spacing, escapes and unknown fields: export must not touch them.
var oddRecords = []string{
	`{"id":"audit_log-1", "type":"api_key.created","effective_at":1722461446,"actor":{"type":"session","session":{"user":{"id":"user-1","email":"alice@example.com"},"ip_address":"198.51.100.7"}},"project":{"id":"proj_1","name":"Main"},"api_key.created":{"id":"key_abc","data":{"scopes":["api.model.read"]}},"x-unknown":{"nested":[1,2.50,"\u00e9\u001b[31m"]}}`,
	`{"type":"brand.new.type","id":"audit_log-2","effective_at":1722461000,"actor":null,"brand.new.type":{"deep":{"er":true}}}`,
	`{"id":"audit_log-3","type":"login.failed","effective_at":1722460000,"actor":{"type":"session","session":{"user":{"id":"user-2","email":"=cmd|' /C calc'!A0"},"ip_address":"+1 203"}},"project":{"id":"-proj","name":"@SUM(1+1)"},"login.failed":{"error_code":"invalid_password","error_message":"\tTab"}}`,
}

func events(t *testing.T, raws ...string) []model.Event {
	var out []model.Event
	for _, r := range raws {
		out = append(out, decode(t, r))
	}
	return out
}

func runCopy(t *testing.T, f Format, src model.Source, limit int) (string, Stats, error) {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, f)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Copy(context.Background(), src, model.Query{}, w, limit)
	return buf.String(), st, err
}

func TestJSONLIsByteExact(t *testing.T) {
	src := &pagesSource{pages: []model.Page{{Number: 1, Events: events(t, oddRecords...)}}}
	out, st, err := runCopy(t, JSONL, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(oddRecords, "\n") + "\n"; out != want {
		t.Fatalf("jsonl changed the records:\n got %q\nwant %q", out, want)
	}
	if st.Events != 3 || st.Pages != 1 {
		t.Fatalf("stats %+v, want 3 events on 1 page", st)
	}
}

func TestJSONLPutsAPrettyPrintedRecordOnOneLine(t *testing.T) {
	pretty := "{\n  \"id\": \"audit_log-9\",\r\n  \"type\": \"login.succeeded\",\n  \"effective_at\": 1720000000,\n  \"note\": \"a\\nb\"\n}"
	src := &pagesSource{pages: []model.Page{{Number: 1, Events: events(t, pretty)}}}
	out, _, err := runCopy(t, JSONL, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
		t.Fatalf("want exactly one line, got %q", out)
	}
	var got, want any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal([]byte(pretty), &want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("value changed: %v, want %v", got, want)
	}
}

func TestJSONArrayKeepsRawRecords(t *testing.T) {
	src := &pagesSource{pages: []model.Page{{Number: 1, Events: events(t, oddRecords...)}}}
	out, _, err := runCopy(t, JSON, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var arr []json.RawMessage
	if err := json.Unmarshal([]byte(out), &arr); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	if len(arr) != len(oddRecords) {
		t.Fatalf("%d elements, want %d", len(arr), len(oddRecords))
	}
	for i := range arr {
		if string(arr[i]) != oddRecords[i] {
			t.Errorf("element %d changed:\n got %s\nwant %s", i, arr[i], oddRecords[i])
		}
	}
}

func TestJSONArrayIsValidWhenEmpty(t *testing.T) {
	out, st, err := runCopy(t, JSON, &pagesSource{pages: []model.Page{{Number: 1}}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var arr []json.RawMessage
	if err := json.Unmarshal([]byte(out), &arr); err != nil || len(arr) != 0 || st.Events != 0 {
		t.Fatalf("empty export %q: %v, %d elements", out, err, len(arr))
	}
}

func TestInterruptedExportKeepsWhatWasWritten(t *testing.T) {
	boom := errors.New("page 2 failed")
	src := &pagesSource{
		pages: []model.Page{{Number: 1, Events: events(t, oddRecords[:2]...)}},
		err:   boom,
	}
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			out, st, err := runCopy(t, f, src, 0)
			if !errors.Is(err, boom) {
				t.Fatalf("err %v, want the source's", err)
			}
			if st.Events != 2 {
				t.Fatalf("%d events written, want 2", st.Events)
			}
			switch f {
			case JSON:
				var arr []json.RawMessage
				if err := json.Unmarshal([]byte(out), &arr); err != nil || len(arr) != 2 {
					t.Fatalf("interrupted JSON %q: %v, %d elements", out, err, len(arr))
				}
			case JSONL:
				if out != oddRecords[0]+"\n"+oddRecords[1]+"\n" {
					t.Fatalf("interrupted JSONL %q", out)
				}
			case CSV:
				rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
				if err != nil || len(rows) != 3 {
					t.Fatalf("interrupted CSV %q: %v, %d rows", out, err, len(rows))
				}
			}
		})
	}
}

func TestCSVColumns(t *testing.T) {
	src := &pagesSource{pages: []model.Page{{Number: 1, Events: events(t, oddRecords...)}}}
	out, _, err := runCopy(t, CSV, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Join(rows[0], ",") != "id,effective_at,type,actor_type,actor,ip_address,project_id,project_name,summary" {
		t.Fatalf("header %v", rows[0])
	}
	first := rows[1]
	want := []string{"audit_log-1", "2024-07-31T21:30:46Z", "api_key.created", "session", "alice@example.com", "198.51.100.7", "proj_1", "Main"}
	for i, w := range want {
		if first[i] != w {
			t.Errorf("column %s = %q, want %q", rows[0][i], first[i], w)
		}
	}
	e := decode(t, oddRecords[0])
	if first[8] != model.Summary(&e) {
		t.Errorf("summary %q, want %q", first[8], model.Summary(&e))
	}
	second := rows[2]
	if second[3] != "" || second[4] != "" || second[6] != "" {
		t.Errorf("null actor and no project should give empty cells, got %q", second)
	}
}

func TestCSVNeutralisesFormulas(t *testing.T) {
	src := &pagesSource{pages: []model.Page{{Number: 1, Events: events(t, oddRecords[2])}}}
	out, _, err := runCopy(t, CSV, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	row := rows[1]
	for col, want := range map[int]string{4: "'=cmd|' /C calc'!A0", 5: "'+1 203", 6: "'-proj", 7: "'@SUM(1+1)"} {
		if row[col] != want {
			t.Errorf("column %s = %q, want %q", rows[0][col], row[col], want)
		}
	}
	for i, cell := range row {
		if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			t.Errorf("column %s starts with a formula character: %q", rows[0][i], cell)
		}
	}
}

func TestCSVShowsControlCharactersAsText(t *testing.T) {
	raw := `{"id":"audit_log-7","type":"project.updated","effective_at":1722461446,"project":{"id":"proj_1","name":"Red \u001b[41mALERT\u001b[0m\u0007 \u009b2J\ttab"}}`
	src := &pagesSource{pages: []model.Page{{Number: 1, Events: events(t, raw)}}}
	out, _, err := runCopy(t, CSV, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out, "\x1b\x07\u009b") {
		t.Fatalf("control characters reached the CSV: %q", out)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := `Red \x1b[41mALERT\x1b[0m\x07 \u009b2J\x09tab`; rows[1][7] != want {
		t.Fatalf("project name %q, want %q", rows[1][7], want)
	}
}

// TestCSVHostileCells: formulas behind white space, a line break or a
// separator, a raw CR and a lone 0x9b byte (8-bit CSI, not UTF-8) in a name.
func TestCSVHostileCells(t *testing.T) {
	names := []string{"  =1+1", "\u00a0=HYPERLINK(1)", "\u3000@SUM(A1)", "\n=cmd", "ok;=cmd|' /C calc'!A0", "a, -2+3", "x\ry", "a\x9b2Jb", "\uff1d1+1"}
	var raws []string
	for i, n := range names {
		name, _ := json.Marshal(n)
		if strings.Contains(n, "\x9b") {
			name = []byte(`"` + n + `"`) // a raw byte json.Marshal would replace
		}
		raws = append(raws, fmt.Sprintf(`{"id":"audit_log-%d","type":"project.updated","effective_at":1722461446,"project":{"id":"proj_1","name":%s}}`, i, name))
	}
	src := &pagesSource{pages: []model.Page{{Number: 1, Events: events(t, raws...)}}}
	out, _, err := runCopy(t, CSV, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out, "\r") || strings.Contains(out, "\x9b") || !utf8.ValidString(out) {
		t.Fatalf("a raw CR or 0x9b byte reached the CSV: %q", out)
	}
	if !strings.Contains(out, `"ok;'=cmd|' /C calc'!A0"`) {
		t.Errorf("a cell with a ; is not quoted, or its second field not neutralised: %q", out)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != len(names)+1 {
		t.Fatalf("%d rows, %v: %q", len(rows), err, out)
	}
	for i, row := range rows[1:] {
		if fault := formulaField(row[7]); fault != "" {
			t.Errorf("name %q written %q: %s", names[i], row[7], fault)
		}
	}
	if got := rows[8][7]; got != `a\x9b2Jb` {
		t.Errorf("the 0x9b byte is written %q, want a\\x9b2Jb", got)
	}
}

// formulaField says which ","- or ";"-separated field of cell a spreadsheet
// would run, or "".
func formulaField(cell string) string {
	for _, f := range strings.FieldsFunc(cell, func(r rune) bool { return r == ',' || r == ';' }) {
		f = strings.TrimLeftFunc(f, unicode.IsSpace)
		if r, _ := utf8.DecodeRuneInString(f); strings.ContainsRune("=+-@\t\r\n＝＋－＠", r) {
			return fmt.Sprintf("field %q starts a formula", f)
		}
	}
	return ""
}

func TestCSVHeaderOnlyWhenEmpty(t *testing.T) {
	out, _, err := runCopy(t, CSV, &pagesSource{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if out != strings.Join(CSVHeader, ",")+"\n" {
		t.Fatalf("empty CSV %q", out)
	}
}

func TestCopyStopsAtLimit(t *testing.T) {
	src := &pagesSource{pages: []model.Page{
		{Number: 1, Events: events(t, oddRecords[:2]...), HasMore: true},
		{Number: 2, Events: events(t, oddRecords[2:]...)},
	}}
	out, st, err := runCopy(t, JSONL, src, 2)
	if err != nil {
		t.Fatal(err)
	}
	if st.Events != 2 || strings.Count(out, "\n") != 2 {
		t.Fatalf("limit 2 wrote %d events: %q", st.Events, out)
	}
	if st.Pages != 1 {
		t.Fatalf("limit reached on page 1, yet %d pages were taken", st.Pages)
	}
	if got := src.asked[0].PageSize; got != 2 {
		t.Fatalf("page size asked %d, want the limit 2", got)
	}
}

func TestCopyReportsSkippedRecords(t *testing.T) {
	src := &pagesSource{pages: []model.Page{{Number: 4, Events: events(t, oddRecords[0]), Skipped: []model.RecordError{{Index: 2, Reason: `record has no "id"`}}}}}
	_, st, err := runCopy(t, JSONL, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Skipped) != 1 || st.Skipped[0].String() != `page 4, record 3: record has no "id"` {
		t.Fatalf("skipped %v", st.Skipped)
	}
}

func TestCopyStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, JSON)
	src := &pagesSource{pages: []model.Page{{Number: 1, Events: events(t, oddRecords...)}}}
	st, err := Copy(ctx, src, model.Query{}, w, 0)
	if !errors.Is(err, context.Canceled) || st.Events != 0 {
		t.Fatalf("cancelled copy: %v, %d events", err, st.Events)
	}
	if buf.String() != "[]\n" {
		t.Fatalf("cancelled JSON export %q, want an empty array", buf.String())
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"jsonl", "JSON", " csv "} {
		if _, err := ParseFormat(s); err != nil {
			t.Errorf("ParseFormat(%q): %v", s, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), "jsonl, json or csv") {
		t.Errorf("ParseFormat(xml) = %v", err)
	}
}

func TestWriteAfterCloseFails(t *testing.T) {
	e := decode(t, oddRecords[0])
	for _, f := range Formats() {
		w, _ := NewWriter(&bytes.Buffer{}, f)
		_ = w.Close()
		if err := w.Write(&e); err == nil {
			t.Errorf("%s: write after close succeeded", f)
		}
	}
}
