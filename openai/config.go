// Package openai lists an OpenAI organisation's audit log through the
// official SDK, as a model.Source, and turns every failure into one sentence
// a person can act on. It is the only package that imports the SDK.
package openai

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Environment variables read by ConfigFromEnv.
const (
	EnvAdminKey = "OPENAI_ADMIN_KEY"
	EnvBaseURL  = "OPENAI_BASE_URL"
	EnvOrgID    = "OPENAI_ORG_ID"
	// EnvInsecureHTTP set to 1 (or true) allows an http:// base URL whose
	// host is not this machine, as --insecure-http does.
	EnvInsecureHTTP = "AUDITUI_INSECURE_HTTP"
)

// DefaultBaseURL is where the SDK sends requests when no base URL is set.
const DefaultBaseURL = "https://api.openai.com/v1"

// DefaultRetries is how many times a page is asked for again after a
// failure that may pass, all kinds together: 408, 409, 429 and 5xx, a
// connection that fails or drops, an attempt out of time, and a page that
// arrived not as JSON or would send paging in circles.
const DefaultRetries = 4

// DefaultRequestTimeout bounds one attempt at one page, headers and body: a
// page of 100 events normally takes well under a second.
const DefaultRequestTimeout = time.Minute

// Config says which organisation to read and how. Its String hides the key,
// so printing a Config never reveals it.
type Config struct {
	AdminKey string // an admin key (sk-admin-...); sent only as a Bearer token
	BaseURL  string // "" means DefaultBaseURL
	OrgID    string // sent as OpenAI-Organization when set
	// Retries is how many times a failed request is retried; 0 means
	// DefaultRetries and a negative value turns retrying off.
	Retries int
	// MaxRetryDelay caps each wait between retries; 0 means the SDK's own
	// caps: 8 s for backoff, 2 minutes for a Retry-After the server asks for.
	// A Retry-After longer than the cap ends retrying at once.
	MaxRetryDelay time.Duration
	// RequestTimeout bounds each attempt at a page; 0 means
	// DefaultRequestTimeout. An attempt that runs out is retried. The waits
	// between attempts are not part of it.
	RequestTimeout time.Duration
	// InsecureHTTP allows an http:// BaseURL whose host is not loopback,
	// which sends the admin key unencrypted.
	InsecureHTTP bool
	// Name overrides what Name() reports (the demo says "demo").
	Name string
	// Transport carries the requests; nil means Go's default. Tests use it
	// to stand in for networks they must not touch.
	Transport http.RoundTripper
}

// ConfigFromEnv reads OPENAI_ADMIN_KEY (required), OPENAI_BASE_URL,
// OPENAI_ORG_ID and AUDITUI_INSECURE_HTTP, and checks them (see Check);
// insecureHTTP allows plain http as AUDITUI_INSECURE_HTTP does.
func ConfigFromEnv(insecureHTTP bool) (Config, error) {
	env, _ := strconv.ParseBool(strings.TrimSpace(os.Getenv(EnvInsecureHTTP)))
	c := Config{
		AdminKey:     strings.TrimSpace(os.Getenv(EnvAdminKey)),
		BaseURL:      strings.TrimSpace(os.Getenv(EnvBaseURL)),
		OrgID:        strings.TrimSpace(os.Getenv(EnvOrgID)),
		InsecureHTTP: insecureHTTP || env,
	}
	if c.AdminKey == "" {
		return Config{}, errors.New(EnvAdminKey + " is not set: set it to an admin key from your organisation's settings (Organization > Admin keys), or try --demo to explore a synthetic organisation")
	}
	if err := c.Check(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Check refuses settings that would send the admin key where it must not
// go, in one sentence that never shows the key. It sends nothing and looks
// nothing up, so a key in the host never reaches a DNS server.
func (c Config) Check() error {
	if c.BaseURL != "" {
		if containsSecret(c.BaseURL, c.AdminKey) {
			// The two variables are easily swapped: never echo the key.
			return errors.New(EnvBaseURL + " contains the admin key (or part of it), which would be sent to DNS servers and shown on screen; set it to the API's address, such as " + DefaultBaseURL)
		}
		u, err := parseBaseURL(c.BaseURL)
		if err != nil {
			return errors.New(EnvBaseURL + " " + newRedactor(c.AdminKey).clean(err.Error()))
		}
		if u.Scheme == "http" && !c.InsecureHTTP && !isLoopback(u.Hostname()) {
			return fmt.Errorf("%s is %s, plain http to another machine, which would send the admin key and the audit log unencrypted; use https, or pass --insecure-http (or set %s=1) if you trust every network in between", EnvBaseURL, redactURL(c.BaseURL), EnvInsecureHTTP)
		}
	}
	if strings.HasPrefix(strings.ToLower(c.OrgID), "sk-") || containsSecret(c.OrgID, c.AdminKey) {
		return errors.New(EnvOrgID + " looks like a key (it starts with sk-), not an organisation id (org-...), so it was not used; check that the variables are not swapped")
	}
	return nil
}

// isLoopback reports whether host names this machine without a lookup.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// secretRun is the shortest piece of the key's secret treated as the key:
// long enough never to occur by chance in a URL or an id.
const secretRun = 12

// containsSecret reports whether s holds key, or any run of secretRun
// characters of its secret part, in any case and percent-encoded or not
// (host names are case-insensitive; URLs may be escaped).
func containsSecret(s, key string) bool {
	if len(key) < secretRun || s == "" {
		return false // no key, or one too short to tell from chance
	}
	secret := strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(key, "sk-admin-"), "sk-"))
	forms := []string{strings.ToLower(s)}
	if u, err := url.PathUnescape(s); err == nil {
		forms = append(forms, strings.ToLower(u))
	}
	for _, f := range forms {
		if strings.Contains(f, strings.ToLower(key)) {
			return true
		}
		for i := 0; i+secretRun <= len(secret); i++ {
			if strings.Contains(f, secret[i:i+secretRun]) {
				return true
			}
		}
	}
	return false
}

// parseBaseURL accepts only absolute http(s) URLs with a host.
func parseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("is %q, which is not an http(s) URL such as %s", redactURL(s), DefaultBaseURL)
	}
	return u, nil
}

// redactURL drops user info and query from a URL before it is shown.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}

// String describes the configuration without the key.
func (c Config) String() string {
	key := "unset"
	if c.AdminKey != "" {
		key = "set"
	}
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	return fmt.Sprintf("openai.Config{BaseURL: %q, OrgID: %q, AdminKey: %s}", redactURL(base), c.OrgID, key)
}

// GoString keeps %#v from printing the key.
func (c Config) GoString() string { return c.String() }

// Format keeps every verb (%d, %x, ...) from printing the key.
func (c Config) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }
