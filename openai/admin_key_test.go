package openai

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/openai/fakeapi"
)

// TestBodiesRepeatingTheKeyDoNotLeakIt: answers of 200 that repeat the
// Authorization header where a page is read (the object, cursors, has_more,
// records, a body cut short) fail or skip records without the key showing
// in the sentence, its causes, or the reasons records were skipped.
func TestBodiesRepeatingTheKeyDoNotLeakIt(t *testing.T) {
	for name, body := range map[string]string{
		"object":                  `{"object":"%s","data":[]}`,
		"has_more":                `{"object":"list","data":[],"has_more":"%s"}`,
		"cursor as an object":     `{"object":"list","data":[],"last_id":{"k":"%s"},"has_more":true}`,
		"long cursor":             `{"object":"list","data":[],"last_id":"` + strings.Repeat("x", 290) + `%s","has_more":true}`,
		"data as an object":       `{"object":"list","data":{"k":"%s"}}`,
		"cut short after the key": `{"object":"list","data":[{"id":"%s`,
		"records":                 `{"object":"list","data":[{"id":"%[1]s"},{"id":7,"type":"%[1]s"},"%[1]s",{"id":"a","type":"x","effective_at":"%[1]s"}],"has_more":false}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, body, r.Header.Get("Authorization"))
			}))
			defer srv.Close()
			for p, err := range testClient(srv.URL).Pages(context.Background(), model.Query{}) {
				keyFree(t, err)
				if err != nil {
					oneSentence(t, err.Error())
				}
				for _, s := range p.Skipped {
					if strings.Contains(s.Error(), testKey[:20]) {
						t.Fatalf("a skipped record's reason shows the key: %s", s.Error())
					}
				}
			}
		})
	}
}

// readerSees is text as a person reads it off a line: controls, invisible
// characters and white space gone, so a key split by them is whole again.
func readerSees(s string) string {
	return strings.Join(strings.Fields(sanitize.OneLine(s)), "")
}

// keyRunFree fails when what shows holds any 12 characters in a row of
// what the server echoed, as a reader sees both.
func keyRunFree(t *testing.T, echoed string, err error) {
	t.Helper()
	e := readerSees(echoed)
	for x := err; x != nil; x = errors.Unwrap(x) {
		seen := readerSees(x.Error() + fmt.Sprintf(" %#v", x))
		for i := 0; i+12 <= len(e); i++ {
			if strings.Contains(seen, e[i:i+12]) {
				t.Fatalf("%q of the echo %q shows in %q", e[i:i+12], echoed, x.Error())
			}
		}
	}
}

// keyEchoes are the ways a hostile server gives the key back: split by a
// character a reader does not see, in part, or encoded.
func keyEchoes() map[string]string {
	secret := strings.TrimPrefix(testKey, "sk-admin-")
	split := func(sep string) string { return testKey[:14] + sep + testKey[14:] }
	pct := ""
	for _, c := range []byte(testKey) {
		pct += fmt.Sprintf("%%%02X", c)
	}
	return map[string]string{
		"split by NUL":     split("\x00"),
		"split by RLO":     split("\u202e"),
		"split by NEL":     split("\u0085"),
		"split by LS":      split("\u2028"),
		"split by DEL":     split("\x7f"),
		"split every 11":   secret[:11] + "\u200b" + secret[11:22] + "\u200b" + secret[22:],
		"secret alone":     secret,
		"less its end":     testKey[:len(testKey)-4],
		"middle 12":        secret[5:17],
		"base64":           base64.StdEncoding.EncodeToString([]byte(testKey)),
		"base64 of Bearer": base64.StdEncoding.EncodeToString([]byte("Bearer " + testKey))[12:], // from where it encodes the key
		"base64url":        base64.RawURLEncoding.EncodeToString([]byte("x" + secret)),
		"percent-encoded":  pct,
	}
}

// TestKeyEchoedInPiecesIsRedacted: a server that splits the key with
// invisible characters, echoes part of it, or encodes it, in a 403's
// message, a 400's param or an unreadable page's object, is shown nothing
// a reader could put the key back together from.
func TestKeyEchoedInPiecesIsRedacted(t *testing.T) {
	for name, echo := range keyEchoes() {
		for where, serve := range map[string]func() (http.HandlerFunc, *atomic.Int32){
			"403 message": func() (http.HandlerFunc, *atomic.Int32) {
				return answer(http.StatusForbidden, errorBody("no access for "+echo, ""))
			},
			"400 param": func() (http.HandlerFunc, *atomic.Int32) { return answer(http.StatusBadRequest, errorBody("bad", echo)) },
			"page object": func() (http.HandlerFunc, *atomic.Int32) {
				b, _ := json.Marshal(echo)
				return answer(http.StatusOK, `{"object":`+string(b)+`,"data":[]}`)
			},
		} {
			t.Run(name+" in "+where, func(t *testing.T) {
				h, _ := serve()
				srv := httptest.NewServer(h)
				defer srv.Close()
				err := firstErr(t, testClient(srv.URL))
				keyRunFree(t, echo, err)
				oneSentence(t, err.Error())
			})
		}
	}
}

// TestPageHoldingTheKeyIsRedacted: a well-formed page whose strings hold
// the key (plain, JSON-escaped, split, in a member name) is delivered with
// each of them replaced by the redaction mark and every other byte as sent.
func TestPageHoldingTheKeyIsRedacted(t *testing.T) {
	escaped := `\u0073\u006b-admin-` + strings.TrimPrefix(testKey, "sk-admin-")
	split := testKey[:20] + `\u202e` + testKey[20:]
	raw := `{"id":"audit_1","type":"api_key.created","effective_at":1760000000,` +
		`"actor":{"type":"session","session":{"user":{"id":"user_1","email":"` + testKey + `@x.example"}}},` +
		`"api_key.created":{"id":"key_1","data":{"scopes":["` + escaped + `"],"` + split + `":"note \"` + testKey + `\" here"}}}`
	want := strings.NewReplacer(testKey, redactMark, escaped, redactMark, split, redactMark).Replace(raw)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"object":"list","data":[%s],"first_id":"audit_1","last_id":"audit_1","has_more":false}`, raw)
	}))
	defer srv.Close()
	var got []model.Event
	for p, err := range testClient(srv.URL).Pages(context.Background(), model.Query{}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p.Events...)
	}
	if len(got) != 1 {
		t.Fatalf("got %d events, want 1", len(got))
	}
	if string(got[0].Raw) != want {
		t.Fatalf("raw =\n%s\nwant\n%s", got[0].Raw, want)
	}
	if !json.Valid(got[0].Raw) || strings.Contains(readerSees(string(got[0].Raw)), "TESTKEY") {
		t.Fatalf("raw is not valid JSON free of the key: %s", got[0].Raw)
	}
	if strings.Contains(got[0].Actor.Email(), "TESTKEY") {
		t.Fatalf("the decoded actor holds the key: %q", got[0].Actor.Email())
	}
}

// noNetwork fails the test on any attempt to dial or look up a name.
type noNetwork struct{ t *testing.T }

func (n noNetwork) RoundTrip(r *http.Request) (*http.Response, error) {
	n.t.Errorf("a request was sent to %s", r.URL.Host)
	return nil, errors.New("no network in this test")
}

// Settings that would put the key in a DNS query, on screen or in clear
// text on the network are refused in one sentence before any request, and
// the sentence holds no piece of the key.
func TestSettingsThatWouldLeakTheKeyAreRefused(t *testing.T) {
	secret := strings.TrimPrefix(testKey, "sk-admin-")
	for _, c := range []struct {
		name, base, org, want string
		insecure              bool
	}{
		{"key as the host", "https://" + testKey + ".example.com/v1", "", "contains the admin key", false},
		{"secret as a DNS label", "https://" + strings.ToLower(secret) + ".example.com/v1", "", "contains the admin key", false},
		{"key in the path", "https://api.example.com/" + testKey + "/v1", "", "contains the admin key", false},
		{"key as user info", "https://user:" + testKey + "@api.example.com/v1", "", "contains the admin key", false},
		{"key in the query", "https://api.example.com/v1?key=" + testKey, "", "contains the admin key", false},
		{"12 characters of the secret", "https://api.example.com/v1/x" + secret[5:17], "", "contains the admin key", false},
		{"percent-encoded", "https://api.example.com/v1/" + secret[:6] + fmt.Sprintf("%%%02X", secret[6]) + secret[7:14], "", "contains the admin key", false},
		{"even with --insecure-http", "http://" + secret + ".example.com/v1", "", "contains the admin key", true},
		{"plain http to another machine", "http://api.example.com/v1", "", "plain http to another machine", false},
		{"plain http to a LAN address", "http://10.0.0.7:8080/v1", "", "--insecure-http", false},
		{"key as the organisation", "", testKey, "OPENAI_ORG_ID looks like a key", false},
		{"a project key as the organisation", "", "sk-proj-abc", "OPENAI_ORG_ID looks like a key", false},
		{"secret in the organisation", "", "org-" + secret, "OPENAI_ORG_ID looks like a key", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := Config{AdminKey: testKey, BaseURL: c.base, OrgID: c.org, InsecureHTTP: c.insecure, Transport: noNetwork{t}}
			err := cfg.Check()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Check: %v, want %q", err, c.want)
			}
			shown := err.Error()
			if strings.Contains(shown, "\n") {
				t.Fatalf("not one line: %q", shown)
			}
			for i := 0; i+secretRun <= len(secret); i++ {
				if strings.Contains(strings.ToLower(shown), strings.ToLower(secret[i:i+secretRun])) {
					t.Fatalf("the refusal shows part of the key: %s", shown)
				}
			}
			// The client refuses too, without a request.
			cl := New(cfg)
			err = firstErr(t, cl)
			keyFree(t, err)
			oneSentence(t, err.Error())
			if !strings.Contains(err.Error(), c.want) || strings.Contains(cl.Name(), "sk-") {
				t.Fatalf("client: %v, named %q", err, cl.Name())
			}
			// And so does reading the environment.
			t.Setenv(EnvAdminKey, testKey)
			t.Setenv(EnvBaseURL, c.base)
			t.Setenv(EnvOrgID, c.org)
			t.Setenv(EnvInsecureHTTP, "")
			if _, err := ConfigFromEnv(c.insecure); err == nil || err.Error() != shown {
				t.Fatalf("ConfigFromEnv: %v, want %q", err, shown)
			}
		})
	}
}

// Plain http is fine to this machine, and to another one when the person
// says so, by flag or environment.
func TestPlainHTTPIsAllowedWhereItIsSafeOrAskedFor(t *testing.T) {
	for _, base := range []string{"http://127.0.0.1:9/v1", "http://localhost:9/v1", "http://[::1]:9/v1", "http://127.8.9.10/v1", "https://api.example.com/v1", ""} {
		if err := (Config{AdminKey: testKey, BaseURL: base}).Check(); err != nil {
			t.Errorf("%q refused: %v", base, err)
		}
	}
	if err := (Config{AdminKey: testKey, BaseURL: "http://api.example.com/v1", InsecureHTTP: true}).Check(); err != nil {
		t.Errorf("--insecure-http refused: %v", err)
	}
	t.Setenv(EnvAdminKey, testKey)
	t.Setenv(EnvBaseURL, "http://api.example.com/v1")
	t.Setenv(EnvOrgID, "org-abc")
	for _, v := range []string{"1", "true"} {
		t.Setenv(EnvInsecureHTTP, v)
		if c, err := ConfigFromEnv(false); err != nil || !c.InsecureHTTP {
			t.Errorf("%s=%s: %v", EnvInsecureHTTP, v, err)
		}
	}
	t.Setenv(EnvInsecureHTTP, "0")
	if _, err := ConfigFromEnv(false); err == nil {
		t.Errorf("%s=0 allowed plain http", EnvInsecureHTTP)
	}
}

// A redirect to another origin is not followed: nothing reaches the other
// server, and the sentence says why after the one request.
func TestRedirectToAnotherOriginIsNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	fake, events, c := fakeOrg(t, 250, fakeapi.WithFaults(fakeapi.Fault{Kind: fakeapi.Redirect, OnRequest: 2, Times: 1000, Location: other.URL}))
	got, _, err := collect(context.Background(), c, model.Query{})
	keyFree(t, err)
	var e *Error
	if !errors.As(err, &e) || e.Page != 2 {
		t.Fatalf("error %v, want an *Error on page 2", err)
	}
	oneSentence(t, e.Sentence)
	if !strings.Contains(e.Sentence, "the server redirected to another origin; auditui does not follow") || strings.Contains(e.Sentence, "attempts") {
		t.Errorf("sentence %q", e.Sentence)
	}
	if len(got) != 100 || elsewhere.Load() != 0 || len(fake.Requests()) != 2 {
		t.Errorf("%d events, %d requests elsewhere, %d to the API; want 100, 0 and 2", len(got), elsewhere.Load(), len(fake.Requests()))
	}

	// Within the same origin a redirect is followed, key and all.
	fake.SetFaults(fakeapi.Fault{Kind: fakeapi.Redirect, OnRequest: len(fake.Requests()) + 2, Location: "http://" + c.host})
	before := len(fake.Requests())
	got, _, err = collect(context.Background(), c, model.Query{})
	if err != nil || len(got) != len(listed(events)) || len(fake.Requests()) != before+3 {
		t.Fatalf("same-origin redirect: %d events, %d requests, %v; want %d, 3 (two pages, one redirected)", len(got), len(fake.Requests())-before, err, len(listed(events)))
	}
}
