package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditui/auditui/openai"
)

// echoKey answers every request with status and a body that repeats the
// Authorization header it was sent in every field an error has, as a
// careless proxy might. Retry-After-Ms keeps the client's retries quick.
func echoKey(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After-Ms", "1")
		w.Header().Set("X-Echo", auth)
		w.WriteHeader(status)
		if body == "" {
			body = `{"error":{"message":"bad key %[1]s","type":"%[1]s","param":"%[1]s","code":"%[1]s"}}`
		}
		fmt.Fprintf(w, body, auth)
	}
}

// keyFreeDir fails if any file under dir holds the key.
func keyFreeDir(t *testing.T, dir string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if b, err := os.ReadFile(path); err == nil && bytes.Contains(b, []byte(testKey)) {
			t.Errorf("%s holds the admin key", path)
		}
		return nil
	})
}

// TestTheKeyIsNeverShown runs every way the command can fail with the admin
// key set, many of them with servers and settings that repeat the key, and
// checks it in nothing printed (runCLI checks stdout and stderr) and in no
// file written under the home, config, cache and temporary directories.
func TestTheKeyIsNeverShown(t *testing.T) {
	home := t.TempDir()
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "TMPDIR"} {
		t.Setenv(v, home)
	}
	t.Setenv(openai.EnvOrgID, "")
	t.Setenv(openai.EnvAdminKey, testKey)
	refused := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}()

	var statuses []int
	for s := 400; s <= 418; s++ {
		statuses = append(statuses, s)
	}
	statuses = append(statuses, 422, 429, 500, 501, 502, 503, 504)
	type failure struct {
		name   string
		status int    // what the echoing server answers
		base   string // OPENAI_BASE_URL; "" is the echoing server's
		args   []string
	}
	var runs []failure
	for _, s := range statuses {
		runs = append(runs, failure{fmt.Sprintf("HTTP %d", s), s, "", []string{"export"}})
	}
	runs = append(runs,
		// The echoing server answers quickly; openai's tests cover a refused
		// connection to a URL holding the key.
		failure{"key in the base URL's user info, path and query, 503", 503, "", []string{"export"}},
		failure{"key in the base URL's user info, path and query, 404", 404, "", []string{"export"}},
		failure{"key in a base URL that is not http", 0, "ftp://" + refused + "/" + testKey, []string{"export"}},
		failure{"key as the whole base URL", 0, testKey, []string{"export"}},
		failure{"browser", 401, "", nil},
		failure{"missing file", 401, "", []string{"export", "--file", filepath.Join(home, "missing.jsonl")}},
	)
	for _, args := range [][]string{
		{"export", "--bogus"}, {"export", "--since", "yesterday-ish"}, {"export", "--type", "nothing.*"},
		{"export", "--page-size", "0"}, {"export", "--format", "xml"}, {"export", "--demo", "--file", "x"},
		{"frobnicate"}, {"--max-events", "-3"}, {"export", "-q", "((("},
	} {
		runs = append(runs, failure{"usage " + strings.Join(args, " "), 401, "", args})
	}

	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			srv := httptest.NewServer(echoKey(r.status, ""))
			defer srv.Close()
			base := srv.URL + "/v1"
			switch {
			case strings.Contains(r.name, "user info"):
				base = strings.Replace(srv.URL, "http://", "http://u:"+testKey+"@", 1) + "/" + testKey + "/v1?key=" + testKey
			case r.base != "":
				base = r.base
			}
			t.Setenv(openai.EnvBaseURL, base)
			res := runCLI(t, context.Background(), r.args...)
			if r.args != nil && res.code == 0 {
				t.Fatalf("%v should fail", r.args)
			}
		})
	}

	// Bodies that are not an error envelope but still carry the key (the
	// same bodies answered 200 are in openai's tests, where retries are quick).
	for name, body := range map[string]string{
		"list with the key as its object":   `{"object":"%s","data":[]}`,
		"has_more that is the key":          `{"object":"list","data":[],"has_more":"%s"}`,
		"cursor that is not a string":       `{"object":"list","data":[],"last_id":{"k":"%s"},"has_more":true}`,
		"records that cannot be read":       `{"object":"list","data":[{"id":"%[1]s"},{"id":7,"type":"%[1]s"},"%[1]s"],"has_more":false}`,
		"body cut short after the key":      `{"object":"list","data":[{"id":"%s`,
		"error string repeating the key":    `{"error":"%s"}`,
		"HTML page with the key":            `<html>%s</html>`,
		"detail field repeating the key":    `{"detail":"%s"}`,
		"message in a nested wrong shape":   `{"error":{"message":["%s"]}}`,
		"list whose data is the key object": `{"object":"list","data":{"k":"%s"}}`,
	} {
		for _, status := range []int{400, 500} {
			t.Run(fmt.Sprintf("%s %d", name, status), func(t *testing.T) {
				srv := httptest.NewServer(echoKey(status, body))
				defer srv.Close()
				t.Setenv(openai.EnvBaseURL, srv.URL+"/v1")
				runCLI(t, context.Background(), "export")
				runCLI(t, context.Background(), "export", "--format", "csv")
			})
		}
	}

	t.Run("output that cannot be written", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"object":"list","data":[{"id":"a","type":"login.failed","effective_at":1}],"has_more":false}`)
		}))
		defer srv.Close()
		t.Setenv(openai.EnvBaseURL, srv.URL+"/v1")
		var errb bytes.Buffer
		code := run(context.Background(), []string{"export"}, newApp(strings.NewReader(""), failingWriter{}, &errb))
		if code != exitFailure || strings.Contains(errb.String(), testKey) {
			t.Fatalf("exit %d, stderr %q", code, errb.String())
		}
	})
	keyFreeDir(t, home)
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestNothingIsWrittenToDisk: export writes only to stdout and leaves no
// file in the home, config, cache, state or temporary directories, and
// neither does opening a source for the browser (saved views are only read).
func TestNothingIsWrittenToDisk(t *testing.T) {
	home := t.TempDir()
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "TMPDIR"} {
		t.Setenv(v, home)
	}
	fakeAPI(t, 120)
	for _, args := range [][]string{
		{"export"}, {"export", "--format", "csv"}, {"export", "--format", "json", "--demo", "--limit", "50"},
		{"--demo"}, {"version"},
	} {
		if r := runCLI(t, context.Background(), args...); r.code != 0 || (args[0] == "export" && r.stdout == "") {
			t.Fatalf("%v: exit %d, %d bytes on stdout: %s", args, r.code, len(r.stdout), r.stderr)
		}
	}
	entries, err := os.ReadDir(home)
	if err != nil || len(entries) != 0 {
		t.Fatalf("auditui left %d entries in the home directory (%v)", len(entries), err)
	}
}
