package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

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

// TestStderrNeverCarriesControls: what export prints about skipped records
// and failures from a hostile file or server reaches a terminal too, so it
// carries no escape, C0 or C1 control, and no BiDi override or isolate.
func TestStderrNeverCarriesControls(t *testing.T) {
	t.Setenv(openai.EnvAdminKey, "")
	hostile := "\x1b]0;pwned\x07\x1b[2J\u009b31m\u202eevil\u2066x\u2069\u2028"
	esc := strings.NewReplacer("\x1b", `\u001b`, "\x07", `\u0007`).Replace(hostile)
	file := strings.Join([]string{
		`{"id":"a","type":"login.failed","effective_at":"` + esc + `"}`,
		`{"id":7,"type":"` + esc + `","effective_at":1}`,
		`{"` + esc + `":` + hostile,
		hostile,
		`{"id":"` + esc + `","type":"` + esc + `"`,
	}, "\n")
	r := runCLI(t, context.Background(), "export", "--file", writeFile(t, "hostile.jsonl", []byte(file)))
	if r.code != 0 || !strings.Contains(r.stderr, "line 1:") || !strings.Contains(r.stderr, "line 5:") {
		t.Fatalf("exit %d; the bad records should be reported by line: %q", r.code, r.stderr)
	}

	// Binary garbage: every byte value, C1 bytes on their own among them.
	var garbage []byte
	for b := range 256 {
		garbage = append(garbage, byte(b), '{', byte(255-b))
	}
	r3 := runCLI(t, context.Background(), "export", "--file", writeFile(t, "garbage.bin", garbage))
	if r3.stderr == "" {
		t.Fatal("a file of garbage should be reported")
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error":{"message":"%s","type":"%[1]s","param":"%[1]s","code":"%[1]s"}}`, esc)
	}))
	defer srv.Close()
	t.Setenv(openai.EnvAdminKey, testKey)
	t.Setenv(openai.EnvBaseURL, srv.URL+"/v1")
	r2 := runCLI(t, context.Background(), "export")
	if r2.code != 1 {
		t.Fatalf("exit %d: %q", r2.code, r2.stderr)
	}
	for _, s := range []string{r.stderr, r2.stderr, r3.stderr} {
		if !utf8.ValidString(s) {
			t.Fatalf("stderr is not valid UTF-8: %q", s)
		}
		for _, c := range strings.TrimSuffix(strings.ReplaceAll(s, "\n", " "), " ") {
			if c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) {
				t.Fatalf("stderr carries %U: %q", c, s)
			}
		}
	}
}
