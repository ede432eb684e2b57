package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
)

// testKey is long and distinctive so that any echo of it is caught.
const testKey = "sk-admin-TESTKEY-3f9c2a7d5e1b4c8a9f0e6d2c"

// keyFree fails the test if the key appears anywhere in err or its chain.
func keyFree(t *testing.T, err error) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		for _, s := range []string{e.Error(), fmt.Sprintf("%v", e), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e), fmt.Sprintf("%q", e)} {
			if strings.Contains(s, testKey) || strings.Contains(s, "TESTKEY") {
				t.Fatalf("the key leaked into an error: %s", s)
			}
		}
	}
}

// oneSentence fails unless s is one line that reads like a sentence.
func oneSentence(t *testing.T, s string) {
	t.Helper()
	if s == "" || strings.ContainsAny(s, "\n\r\x1b") || !strings.HasSuffix(s, ".") || strings.ToUpper(s[:1]) != s[:1] {
		t.Fatalf("not one clean sentence: %q", s)
	}
}

func testClient(url string) *Client {
	return New(Config{AdminKey: testKey, BaseURL: url + "/v1", MaxRetryDelay: time.Millisecond})
}

// firstErr pages until the first error.
func firstErr(t *testing.T, c *Client) error {
	t.Helper()
	for _, err := range c.Pages(context.Background(), model.Query{}) {
		if err != nil {
			return err
		}
	}
	t.Fatal("listing succeeded, want an error")
	return nil
}

// firstAPIError pages until the first error and fails unless it is an
// *Error whose sentence is one clean line with no piece of the key.
func firstAPIError(t *testing.T, c *Client) *Error {
	t.Helper()
	err := firstErr(t, c)
	keyFree(t, err)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v, want *Error", err, err)
	}
	oneSentence(t, e.Sentence)
	return e
}

// answer serves status with body and counts requests.
func answer(status int, body string, header ...string) (http.HandlerFunc, *atomic.Int32) {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}, &n
}

func errorBody(message, param string) string {
	var p any
	if param != "" {
		p = param
	}
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": message, "type": "invalid_request_error", "param": p, "code": nil}})
	return string(b)
}

func TestStatusSentences(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		body    string
		header  []string
		want    []string
		retried bool
	}{
		{"401 echoing the key", 401, errorBody("Incorrect API key provided: "+testKey+".", ""), nil,
			[]string{"refused the admin key", "organisation owner", "OPENAI_ADMIN_KEY"}, false},
		{"403", 403, errorBody("Audit logging is not enabled for this organization.", ""), nil,
			[]string{"403", "Organization settings > Data controls > Audit logging", "not enabled for this organization"}, false},
		{"400 with param", 400, errorBody("Invalid value for limit: "+testKey, "limit"), nil,
			[]string{"400", `"limit"`, "Invalid value for limit", "[redacted]"}, false},
		{"404", 404, errorBody("Not found", ""), nil,
			[]string{"404", "OPENAI_BASE_URL", "/v1"}, false},
		{"429 after retries", 429, errorBody("Rate limit reached", ""), nil,
			[]string{"429", "all 5 attempts failed", "try again"}, true},
		{"429 asking for a long wait", 429, errorBody("Rate limit reached", ""), []string{"Retry-After", "90"},
			[]string{"429", "asked to wait 90 seconds"}, false},
		{"500 after retries", 500, errorBody("boom", ""), nil,
			[]string{"500 Internal Server Error", "all 5 attempts failed", "try again"}, true},
		{"503 after retries", 503, "<html>upstream down</html>", []string{"Content-Type", "text/html"},
			[]string{"503 Service Unavailable", "all 5 attempts"}, true},
		{"error as a string", 401, `{"error":"Unauthorized"}`, nil,
			[]string{"refused the admin key"}, false},
		{"403 from a proxy in HTML", 403, "<html><body>Forbidden</body></html>", []string{"Content-Type", "text/html"},
			[]string{"403", "Audit logging"}, false},
		{"400 with a detail field", 400, `{"detail":"limit must be at most 100"}`, nil,
			[]string{"400", "limit must be at most 100"}, false},
		{"503 with an error string", 503, `{"error":"upstream connect error"}`, nil,
			[]string{"503 Service Unavailable", "all 5 attempts"}, true},
		{"control characters in the message", 400, errorBody("bad\x1b[31m\nvalue\u202e", ""), nil,
			[]string{"bad[31m value"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, n := answer(tc.status, tc.body, tc.header...)
			srv := httptest.NewServer(h)
			defer srv.Close()
			err := firstErr(t, testClient(srv.URL))
			keyFree(t, err)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v, want *Error", err, err)
			}
			if e.Status != tc.status || e.Page != 1 {
				t.Fatalf("status %d page %d, want %d and 1", e.Status, e.Page, tc.status)
			}
			oneSentence(t, e.Sentence)
			for _, w := range tc.want {
				if !strings.Contains(e.Sentence, w) {
					t.Errorf("sentence %q does not say %q", e.Sentence, w)
				}
			}
			if got := n.Load(); tc.retried != (got == 5) || (!tc.retried && got != 1) {
				t.Errorf("%d requests, retried=%v", got, tc.retried)
			}
			if strings.Contains(e.Sentence, srv.URL+"/v1/organization") {
				t.Errorf("sentence repeats the request URL: %q", e.Sentence)
			}
		})
	}
}

func TestRateLimitRetryAfterIsHonoured(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			_, _ = w.Write([]byte(errorBody("slow down", "")))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"object":"list","data":[{"id":"a","type":"login.succeeded","effective_at":1}],"first_id":"a","last_id":"a","has_more":false}`))
	}))
	defer srv.Close()
	// No cap on the wait, so the default Retry-After handling decides.
	c := New(Config{AdminKey: testKey, BaseURL: srv.URL + "/v1"})
	var got int
	for p, err := range c.Pages(context.Background(), model.Query{}) {
		if err != nil {
			t.Fatal(err)
		}
		got += len(p.Events)
	}
	if got != 1 || n.Load() != 2 {
		t.Fatalf("%d events after %d requests, want 1 after 2", got, n.Load())
	}
}

func TestNetworkErrorSentence(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c := New(Config{AdminKey: testKey, BaseURL: "http://" + addr + "/v1?debug=1", MaxRetryDelay: time.Millisecond})
	e := firstAPIError(t, c)
	if e.Status != 0 {
		t.Fatalf("error %v, want *Error without a status", e)
	}
	for _, w := range []string{"Could not reach the API at " + addr, "refused", "all 5 attempts failed", "OPENAI_BASE_URL"} {
		if !strings.Contains(e.Sentence, w) {
			t.Errorf("sentence %q does not say %q", e.Sentence, w)
		}
	}
}

func TestAStalledPageIsRetriedThenReported(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		_, _ = w.Write([]byte(`{"object":"list","data":[`))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the rest never comes
	}))
	defer srv.Close()
	c := New(Config{AdminKey: testKey, BaseURL: srv.URL + "/v1", Retries: 2, MaxRetryDelay: time.Millisecond, RequestTimeout: 20 * time.Millisecond})
	e := firstAPIError(t, c)
	if n.Load() != 3 || !strings.Contains(e.Sentence, "did not finish sending page 1 in time, and all 3 attempts failed") {
		t.Fatalf("%d requests, sentence %q; want 3 attempts reported", n.Load(), e.Sentence)
	}
}

func TestDNSErrorSentence(t *testing.T) {
	// The resolver's answer is stood in for: tests send nothing off this machine.
	noSuchHost := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "audit-logs.invalid", IsNotFound: true}}
	}}
	c := New(Config{AdminKey: testKey, BaseURL: "http://audit-logs.invalid/v1", InsecureHTTP: true, Retries: -1, Transport: noSuchHost})
	e := firstAPIError(t, c)
	if !strings.Contains(e.Sentence, "audit-logs.invalid") || !strings.Contains(e.Sentence, "the one attempt failed") {
		t.Errorf("sentence %q", e.Sentence)
	}
}

func TestCancelledContextIsNotAnAPIError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	c := testClient(srv.URL)
	time.AfterFunc(50*time.Millisecond, cancel)
	for _, err := range c.Pages(ctx, model.Query{}) {
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
		var e *Error
		if errors.As(err, &e) {
			t.Fatalf("cancellation reported as %q", e.Sentence)
		}
		return
	}
	t.Fatal("no error after cancellation")
}

func TestConfigFromEnv(t *testing.T) {
	t.Setenv(EnvAdminKey, "")
	t.Setenv(EnvBaseURL, "")
	t.Setenv(EnvOrgID, "")
	_, err := ConfigFromEnv(false)
	if err == nil || !strings.Contains(err.Error(), "OPENAI_ADMIN_KEY") || !strings.Contains(err.Error(), "--demo") {
		t.Fatalf("missing key: %v", err)
	}

	t.Setenv(EnvAdminKey, " "+testKey+" ")
	t.Setenv(EnvOrgID, "org-123")
	t.Setenv(EnvBaseURL, "http://127.0.0.1:9/v1")
	c, err := ConfigFromEnv(false)
	if err != nil {
		t.Fatal(err)
	}
	if c.AdminKey != testKey || c.OrgID != "org-123" || c.BaseURL != "http://127.0.0.1:9/v1" {
		t.Fatalf("config %s not read from the environment", c)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		if s := fmt.Sprintf(verb, c); strings.Contains(s, "TESTKEY") || strings.Contains(s, fmt.Sprintf("%x", testKey)) {
			t.Fatalf("%s of a Config shows the key: %s", verb, s)
		}
	}

	t.Setenv(EnvBaseURL, "api.openai.com/v1")
	if _, err := ConfigFromEnv(false); err == nil || !strings.Contains(err.Error(), "OPENAI_BASE_URL") {
		t.Fatalf("bad base URL accepted: %v", err)
	}
}

func TestOrgHeaderAndKeyAreSent(t *testing.T) {
	// Settings the SDK would read by itself must not override the Config.
	t.Setenv("OPENAI_PROJECT_ID", "proj_from_env")
	t.Setenv("OPENAI_ORG_ID", "org-from-env")
	t.Setenv("OPENAI_ADMIN_KEY", "sk-admin-from-env")
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
	var mu sync.Mutex
	var headers http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		headers = r.Header.Clone()
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}`))
	}))
	defer srv.Close()
	// sent lists the headers of the one request c makes.
	sent := func(c *Client) (auth, org, project string) {
		for _, err := range c.Pages(context.Background(), model.Query{}) {
			if err != nil {
				t.Fatal(err)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		return headers.Get("Authorization"), headers.Get("OpenAI-Organization"), headers.Get("OpenAI-Project")
	}
	c := New(Config{AdminKey: testKey, BaseURL: srv.URL + "/v1", OrgID: "org-abc"})
	if auth, org, project := sent(c); auth != "Bearer "+testKey || org != "org-abc" || project != "" {
		t.Fatalf("Authorization %q, OpenAI-Organization %q, OpenAI-Project %q", auth, org, project)
	}
	if c.Name() != "OpenAI organisation org-abc" {
		t.Fatalf("name %q", c.Name())
	}
	if _, org, project := sent(New(Config{AdminKey: testKey, BaseURL: srv.URL + "/v1"})); org != "" || project != "" {
		t.Fatalf("OpenAI-Organization %q, OpenAI-Project %q sent without a Config asking", org, project)
	}
}
