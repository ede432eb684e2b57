package openai

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

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
