package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditui/auditui/openai"
)

// writeFile saves data as a file in the test's temporary directory.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestExportOfAMillionLinesWithACutLastLine: a file of 1,000,000 records,
// newest first, whose last line was cut short (a download that stopped).
// Every whole record is exported byte for byte, in order; the cut line is
// reported once, with its line number.
func TestExportOfAMillionLinesWithACutLastLine(t *testing.T) {
	t.Setenv(openai.EnvAdminKey, "")
	const n = 1_000_000
	var in bytes.Buffer
	in.Grow(n * 72)
	for i := range n {
		fmt.Fprintf(&in, `{"id":"audit_log-%07d","type":"login.succeeded","effective_at":%d}`+"\n", i, 1720000000-i)
	}
	whole := in.Len()
	in.WriteString(`{"id":"audit_log-cut","type":"login.fai`)
	path := writeFile(t, "million.jsonl", in.Bytes())

	r := runCLI(t, context.Background(), "export", "--file", path)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if r.stdout != in.String()[:whole] {
		t.Fatalf("the export of %d records is not the file's whole lines byte for byte (%d bytes, want %d)", n, len(r.stdout), whole)
	}
	if want := fmt.Sprintf("line %d", n+1); strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, want) {
		t.Fatalf("the cut last line should be reported once as %s: %q", want, r.stderr)
	}
}

// TestExportOfStrangeFiles: bytes that are not UTF-8 inside strings, and
// CRLF line endings, are read and exported as they were written.
func TestExportOfStrangeFiles(t *testing.T) {
	t.Setenv(openai.EnvAdminKey, "")
	latin1 := []string{
		"{\"id\":\"l2\",\"type\":\"login.failed\",\"effective_at\":1720000200,\"actor\":{\"type\":\"session\",\"session\":{\"user\":{\"id\":\"u\",\"email\":\"jos\xe9@example.com\"},\"user_agent\":\"Caf\xe9 cr\xe8me \xff\xfe\"}}}",
		"{\"id\":\"l1\",\"type\":\"project.created\",\"effective_at\":1720000100,\"project\":{\"id\":\"p\",\"name\":\"Se\xf1or \xab\xbb\"}}",
	}
	huge := `{"id":"big","type":"login.failed","effective_at":1720000300,"actor":{"type":"session","session":{"user":{"id":"u"},"user_agent":"` +
		strings.Repeat(`Mozilla/5.0 \u001b[2J `, 10<<20/22) + `"}}}`
	for name, tc := range map[string]struct {
		file string
		want string
	}{
		"latin-1 inside strings": {strings.Join(latin1, "\n") + "\n", strings.Join(latin1, "\n") + "\n"},
		"CRLF line endings":      {strings.Join(latin1, "\r\n") + "\r\n", strings.Join(latin1, "\n") + "\n"},
		"CRLF, no final newline": {strings.Join(latin1, "\r\n"), strings.Join(latin1, "\n") + "\n"},
		"a 10 MB record":         {huge + "\r\n" + latin1[0] + "\n", huge + "\n" + latin1[0] + "\n"},
	} {
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, context.Background(), "export", "--file", writeFile(t, "saved.jsonl", []byte(tc.file)))
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d: %q", r.code, r.stderr)
			}
			if r.stdout != tc.want {
				t.Fatalf("export changed the records:\n got %q\nwant %q", r.stdout, tc.want)
			}
		})
	}
}
