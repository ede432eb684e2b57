package export

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

// orgFile writes the hostile synthetic organisation as JSON lines and
// returns its bytes and the events read back from the file, whose records
// stay in it.
func orgFile(t *testing.T) ([]byte, *os.File, []model.Event) {
	t.Helper()
	data, f, events, err := fakeapi.OpenJSONL(t.TempDir(), fakeapi.Org(fakeapi.OrgOptions{Events: 3000, Seed: 3, Hostile: true}))
	if err != nil || len(events) != 3000 {
		t.Fatalf("%d events, %v", len(events), err)
	}
	t.Cleanup(func() { f.Close() })
	return data, f, events
}

func writeAll(t *testing.T, f Format, tty bool, events []model.Event) (string, error) {
	t.Helper()
	var out bytes.Buffer
	w, err := newWriter(&out, f, tty)
	if err != nil {
		t.Fatal(err)
	}
	for i := range events {
		if err := w.Write(&events[i]); err != nil {
			return out.String(), err
		}
	}
	return out.String(), w.Close()
}

// TestExportFromFileSameAsHeld: events whose records stay in their file
// export to the same bytes, in every format, as the same events held.
func TestExportFromFileSameAsHeld(t *testing.T) {
	input, _, fromFile := orgFile(t)
	held, _, err := model.ReadEvents(bytes.NewReader(input))
	if err != nil || len(held) != len(fromFile) {
		t.Fatalf("held: %d events, %v", len(held), err)
	}
	if fromFile[0].Raw != nil || held[0].Raw == nil {
		t.Fatal("the file's events hold their records, or the held ones do not")
	}
	for _, f := range []Format{JSONL, JSON, CSV} {
		for _, tty := range []bool{false, true} {
			want, werr := writeAll(t, f, tty, held)
			got, gerr := writeAll(t, f, tty, fromFile)
			if werr != nil || gerr != nil || got != want {
				t.Errorf("%s (terminal %v): from the file %d bytes, %v; held %d bytes, %v", f, tty, len(got), gerr, len(want), werr)
			}
		}
	}
}

// TestExportFromChangedFile: a file cut short after loading stops the
// export with one line saying so; nothing of another record is written.
func TestExportFromChangedFile(t *testing.T) {
	input, f, events := orgFile(t)
	if err := os.Truncate(f.Name(), int64(len(input)/2)); err != nil {
		t.Fatal(err)
	}
	got, err := writeAll(t, JSONL, false, events)
	if err == nil || !strings.Contains(err.Error(), "changed since it was loaded") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("export after the file was cut short: %v", err)
	}
	if got != "" {
		t.Errorf("wrote %q before the error", got)
	}
}
