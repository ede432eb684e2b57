// Package openai lists an OpenAI organisation's audit log through the
// official SDK, as a model.Source, and turns every failure into one sentence
// a person can act on. It is the only package that imports the SDK.
package openai

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Environment variables read by ConfigFromEnv.
const (
	EnvAdminKey = "OPENAI_ADMIN_KEY"
	EnvBaseURL  = "OPENAI_BASE_URL"
	EnvOrgID    = "OPENAI_ORG_ID"
)

// DefaultBaseURL is where the SDK sends requests when no base URL is set.
const DefaultBaseURL = "https://api.openai.com/v1"

// DefaultRetries is how many times a failed request is retried: the SDK's
// retries for 408, 409, 429, 5xx and connection errors, and ours for a page
// that arrived cut short or not as JSON.
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
	// MaxRetryDelay caps each wait between retries; 0 keeps the SDK's caps
	// (8 s for backoff, 2 minutes for a Retry-After the server asks for).
	// A Retry-After longer than the cap ends retrying at once.
	MaxRetryDelay time.Duration
	// RequestTimeout bounds each attempt at a page; 0 means
	// DefaultRequestTimeout. An attempt that runs out is retried.
	RequestTimeout time.Duration
	// Name overrides what Name() reports (the demo says "demo").
	Name string
	// Transport carries the requests; nil means Go's default. Tests use it
	// to stand in for networks they must not touch.
	Transport http.RoundTripper
}

// ConfigFromEnv reads OPENAI_ADMIN_KEY (required), OPENAI_BASE_URL and
// OPENAI_ORG_ID.
func ConfigFromEnv() (Config, error) {
	c := Config{
		AdminKey: strings.TrimSpace(os.Getenv(EnvAdminKey)),
		BaseURL:  strings.TrimSpace(os.Getenv(EnvBaseURL)),
		OrgID:    strings.TrimSpace(os.Getenv(EnvOrgID)),
	}
	if c.AdminKey == "" {
		return Config{}, errors.New(EnvAdminKey + " is not set: set it to an admin key from your organisation's settings (Organization > Admin keys), or try --demo to explore a synthetic organisation")
	}
	if c.BaseURL != "" {
		if _, err := parseBaseURL(c.BaseURL); err != nil {
			// The two variables are easily swapped: never echo the key.
			return Config{}, errors.New(EnvBaseURL + " " + clean(err.Error(), c.AdminKey))
		}
	}
	return c, nil
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
