package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/ui"
)

// hostileRecords carry a UTF-8 C1 CSI, a lone 0x9b byte (8-bit CSI, not
// UTF-8), DEL and a BiDi override in their strings, as a file may.
var hostileRecords = []string{
	"{\"id\":\"audit_log-b\",\"type\":\"project.updated\",\"effective_at\":1790000500,\"project\":{\"id\":\"proj_1\",\"name\":\"a\u009b2Jb \x9b31m \x7f e\u202ev\"}}",
	`{"id":"audit_log-a","type":"login.succeeded","effective_at":1790000000,"actor":{"type":"session","session":{"user":{"id":"u","email":"x\u001b]0;t\u0007@example.com"}}}}`,
}

// exportTo runs export --file - with stdout a terminal or not.
func exportTo(t *testing.T, terminal bool, format string) string {
	t.Helper()
	t.Setenv(openai.EnvAdminKey, "")
	var out, errb bytes.Buffer
	a := newApp(strings.NewReader(strings.Join(hostileRecords, "\n")+"\n"), &out, &errb)
	a.isTerminal = func(w io.Writer) bool { return terminal && w == io.Writer(&out) }
	if code := run(context.Background(), []string{"export", "--file", "-", "--format", format}, a); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	return out.String()
}

// TestExportToTerminalEscapes: on a terminal each record still parses to the
// same values but no control, C1, stray byte or BiDi character reaches it.
func TestExportToTerminalEscapes(t *testing.T) {
	for _, format := range []string{"jsonl", "json"} {
		out := exportTo(t, true, format)
		if strings.ContainsAny(out, "\x1b\x07\x7f\u009b\u202e") || strings.Contains(out, "\x9b") {
			t.Fatalf("%s: a control character reached the terminal: %q", format, out)
		}
		var got []any
		if format == "json" {
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("json: %v\n%s", err, out)
			}
		} else {
			for line := range strings.Lines(out) {
				var v any
				if err := json.Unmarshal([]byte(line), &v); err != nil {
					t.Fatalf("jsonl line %q: %v", line, err)
				}
				got = append(got, v)
			}
		}
		for i, raw := range hostileRecords {
			var want any
			_ = json.Unmarshal([]byte(raw), &want)
			if i >= len(got) || !reflect.DeepEqual(got[i], want) {
				t.Fatalf("%s record %d reads %v, want %v", format, i, got, want)
			}
		}
	}
}

// TestExportToPipeIsByteExact: off a terminal the records are untouched.
func TestExportToPipeIsByteExact(t *testing.T) {
	if out := exportTo(t, false, "jsonl"); out != strings.Join(hostileRecords, "\n")+"\n" {
		t.Fatalf("jsonl to a pipe changed the records:\n%q", out)
	}
}

// TestSkippedLinesAreOneLine: the name of a file and a record that cannot be
// read reach stderr without their BiDi override or control characters:
// export's as it reads, the browser's when it exits (it streams the file,
// saying them in its status line meanwhile), nothing before it starts.
func TestSkippedLinesAreOneLine(t *testing.T) {
	t.Setenv(openai.EnvAdminKey, "")
	dir := t.TempDir()
	name := filepath.Join(dir, "found x\u202e gnp.exe\x1b[2J.jsonl")
	body := hostileRecords[0] + "\n{\"id\":\"x\u202e\x1b]0;pwned\x07\",\"type\":7}\n"
	if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"export", "--file", name}, {"--file", name}} {
		var out, errb bytes.Buffer
		a := newApp(strings.NewReader(""), &out, &errb)
		var before string
		var skipped []model.RecordError
		a.browse = func(ctx context.Context, o ui.Options) error { // pages the source as the browser does
			before = errb.String()
			for p, err := range o.Source.Pages(ctx, model.Query{}) {
				if err != nil {
					return err
				}
				skipped = append(skipped, p.Skipped...)
			}
			return nil
		}
		code := run(context.Background(), args, a)
		stderr := errb.String()
		if !strings.Contains(stderr, "skipped") || before != "" {
			t.Fatalf("%v: exit %d, stderr before the browser %q, after %q", args, code, before, stderr)
		}
		if args[0] != "export" && (len(skipped) != 1 || skipped[0].Line != 2) {
			t.Fatalf("the browser's pages skipped %v, want line 2", skipped)
		}
		if strings.ContainsAny(stderr, "\u202e\x1b\x07") || strings.Count(stderr, "\n") != 1 {
			t.Fatalf("%v: stderr is not one clean line: %q", args, stderr)
		}
	}
}

// TestHistoryToTerminalEscapes: history's JSON and JSON Lines on a terminal
// hold the same values with C1 and BiDi characters escaped, JSON still
// indented one step a line.
func TestHistoryToTerminalEscapes(t *testing.T) {
	t.Setenv(openai.EnvAdminKey, "")
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	rec := "{\"id\":\"e1\",\"type\":\"project.updated\",\"effective_at\":1790000000,\"project.updated\":{\"id\":\"proj_1\",\"changes_requested\":{\"title\":\"\u009b2J\u202egone \x9b\"}}}\n"
	if err := os.WriteFile(path, []byte(rec), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"json", "jsonl"} {
		var out, errb bytes.Buffer
		a := newApp(strings.NewReader(""), &out, &errb)
		a.isTerminal = func(io.Writer) bool { return true }
		if code := run(context.Background(), []string{"history", "--file", path, "proj_1", "--format", format}, a); code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errb.String())
		}
		s := out.String()
		if strings.ContainsAny(s, "\u009b\u202e") || strings.Contains(s, "\x9b") || !strings.Contains(s, `\u009b2J\u202egone`) {
			t.Fatalf("%s: a control character reached the terminal: %q", format, s)
		}
		var v any
		first, _, _ := strings.Cut(s, "\n")
		if format == "jsonl" && json.Unmarshal([]byte(first), &v) != nil || format == "json" && (json.Unmarshal([]byte(s), &v) != nil || strings.Count(s, "\n") < 5) {
			t.Fatalf("%s: not valid JSON as written: %q", format, s)
		}
	}
}

// TestSyncLineIsOneLine: a store path with a BiDi override and an escape
// reaches stderr without them.
func TestSyncLineIsOneLine(t *testing.T) {
	fakeAPI(t, 10)
	code, stderr := runSync(t, filepath.Join(t.TempDir(), "org\u202e\x1b[2J.db"))
	if code != exitOK {
		t.Fatalf("sync exited %d: %q", code, stderr)
	}
	if !strings.Contains(stderr, " stored in ") || strings.ContainsAny(stderr, "\u202e\x1b") {
		t.Fatalf("stderr %q", stderr)
	}
}
