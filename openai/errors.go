package openai

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	sdk "github.com/openai/openai-go/v3"
	"github.com/tidwall/gjson"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
)

// Error is a listing failure told as one sentence a person can act on. It
// never contains the admin key, and neither does anything it wraps.
type Error struct {
	Status     int           // HTTP status; 0 when no answer came or the body was bad
	Page       int           // the page being fetched, 1-based
	RetryAfter time.Duration // for 429: how long the API asked to wait, when it said
	Sentence   string
	cause      error
}

func (e *Error) Error() string { return e.Sentence }

// Retryable reports whether asking again may help: not for a 4xx other
// than 408, 409 and 429, which the API will refuse the same way every time.
func (e *Error) Retryable() bool {
	s := e.Status
	return s < 400 || s >= 500 || s == http.StatusRequestTimeout || s == http.StatusConflict || s == http.StatusTooManyRequests
}

// Unwrap returns the cause, stripped of the request (and so of the key).
func (e *Error) Unwrap() error { return e.cause }

// APIError is the API's own error object, kept as the cause of an *Error.
type APIError struct {
	Status  int
	Type    string
	Code    string
	Param   string
	Message string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("HTTP %d", e.Status)
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// explain turns an error from the SDK into an *Error, or returns ctx's error
// when the caller gave up.
func (c *Client) explain(ctx context.Context, err error, res *http.Response, page, attempt int) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, errTooLarge) {
		// Before the status: an error body can be a bomb too.
		return &Error{Page: page, Sentence: fmt.Sprintf(
			"Page %d from the API was larger than %d MiB once decompressed, far more than a page of events can be, so auditui stopped there rather than exhaust memory; the events before it are complete.",
			page, MaxPageBytes>>20)}
	}
	var apiErr *sdk.Error
	if errors.As(err, &apiErr) {
		cause := &APIError{Status: apiErr.StatusCode, Type: c.red.clean(apiErr.Type), Code: c.red.clean(apiErr.Code),
			Param: c.red.clean(apiErr.Param), Message: c.red.clean(apiErr.Message)}
		if cause.Message == "" && apiErr.Response != nil {
			cause.Message = c.errorFromBody(apiErr.Response).Message
		}
		return c.explainStatus(apiErr.StatusCode, apiErr.Response, cause, page, attempt)
	}
	if res != nil && res.StatusCode >= 400 {
		// An error body not in the spec's shape ({"error": "..."}, HTML from
		// a proxy): the SDK could not read it, but the status still tells.
		return c.explainStatus(res.StatusCode, res, c.errorFromBody(res), page, attempt)
	}
	tries := attempts(attempt + 1)
	if errors.Is(err, errOtherOrigin) {
		return &Error{Page: page, Sentence: fmt.Sprintf(
			"Page %d was not read because the server redirected to another origin; auditui does not follow, so that requests and the admin key go only to %s: check %s.",
			page, c.host, EnvBaseURL)}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Page: page, cause: c.scrub(unwrapURL(err)), Sentence: fmt.Sprintf(
			"The API at %s did not finish sending page %d in time, and %s; try again later, or with smaller pages.",
			c.host, page, attempts(attempt+1))}
	}
	var be *bodyError
	if errors.As(err, &be) {
		return &Error{Page: page, cause: c.scrub(be.err), Sentence: fmt.Sprintf(
			"The connection to %s dropped while page %d was arriving (%s), and %s; check your network and try again.",
			c.host, page, netReason(be.err), attempts(attempt+1))}
	}
	return &Error{Page: page, cause: c.scrub(unwrapURL(err)), Sentence: fmt.Sprintf(
		"Could not reach the API at %s for page %d: %s, and %s; check your network, proxy and %s.",
		c.host, page, netReason(err), tries, EnvBaseURL)}
}

// errorFromBody reads what message it can from an error body the SDK could
// not decode.
func (c *Client) errorFromBody(res *http.Response) *APIError {
	out := &APIError{Status: res.StatusCode}
	if res.Body == nil {
		return out
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if err != nil || !gjson.ValidBytes(b) {
		return out
	}
	for _, path := range []string{"error.message", "error", "message", "detail"} {
		if v := gjson.GetBytes(b, path); v.Type == gjson.String {
			out.Message = c.red.clean(v.Str)
			break
		}
	}
	return out
}

func (c *Client) explainStatus(status int, res *http.Response, cause *APIError, page, attempt int) *Error {
	out := &Error{Status: status, Page: page, cause: cause}
	tries := attempts(attempt + 1)
	said := ""
	if cause.Message != "" {
		said = fmt.Sprintf(", %q", cause.Message)
	}
	switch s := status; {
	case s == http.StatusUnauthorized:
		// The API's message may echo part of the key: leave it out.
		out.Sentence = fmt.Sprintf("The API refused the admin key (401): the audit log needs an admin key (sk-admin-...) created by an organisation owner under Organization settings > Admin keys; check %s.", EnvAdminKey)
	case s == http.StatusForbidden:
		out.Sentence = fmt.Sprintf("The API denied access to the audit log (403%s): the admin key lacks permission or audit logging is off; an organisation owner can turn it on in Organization settings > Data controls > Audit logging.", said)
	case s == http.StatusBadRequest:
		param := ""
		if cause.Param != "" {
			param = fmt.Sprintf(", parameter %q", cause.Param)
		}
		msg := strings.TrimRight(cause.Message, ". ")
		if msg == "" {
			msg = "no reason given"
		}
		out.Sentence = fmt.Sprintf("The API rejected the request (400%s): %s; check the filter options.", param, msg)
	case s == http.StatusNotFound:
		out.Sentence = fmt.Sprintf("The API has no audit-log endpoint at %s (404%s); check %s, which should end in /v1.", c.base, said, EnvBaseURL)
	case s == http.StatusTooManyRequests:
		out.RetryAfter = retryAfter(res)
		if out.RetryAfter > c.retryAfterCap() {
			out.Sentence = fmt.Sprintf("The API is rate-limiting this organisation (429) and asked to wait %s before page %d; try again after that, or ask for fewer events with narrower filters or a later start.", humanDuration(out.RetryAfter), page)
			break
		}
		if out.RetryAfter > 0 {
			out.Sentence = fmt.Sprintf("The API is rate-limiting this organisation (429): page %d was refused and %s, the last time asking to wait %s; try again later, or ask for fewer events with narrower filters or a later start.", page, tries, humanDuration(out.RetryAfter))
			break
		}
		out.Sentence = fmt.Sprintf("The API is rate-limiting this organisation (429): page %d was refused and %s; try again in a minute or two, or ask for fewer events with narrower filters or a later start.", page, tries)
	case s >= 500:
		out.Sentence = fmt.Sprintf("The API failed with %d %s on page %d, and %s; it is likely a passing problem on the server's side, so try again in a few minutes.", s, http.StatusText(s), page, tries)
	default:
		quoted := ""
		if cause.Message != "" {
			quoted = fmt.Sprintf(" (%q)", cause.Message)
		}
		out.Sentence = fmt.Sprintf("The API answered %d %s for page %d%s; check the options and %s.", s, http.StatusText(s), page, quoted, EnvBaseURL)
	}
	return out
}

// retryAfterCap is the longest Retry-After waited for; a longer one ends
// retrying at once.
func (c *Client) retryAfterCap() time.Duration {
	if c.maxWait > 0 {
		return c.maxWait
	}
	return 2 * time.Minute
}

// retryAfter reads how long the server asked to wait, if it said.
func retryAfter(res *http.Response) time.Duration {
	if res == nil {
		return 0
	}
	if ms, err := strconv.ParseFloat(res.Header.Get("Retry-After-Ms"), 64); err == nil && ms > 0 && ms < 1e9 {
		return time.Duration(ms * float64(time.Millisecond))
	}
	v := res.Header.Get("Retry-After")
	if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 && s < 1e6 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

func humanDuration(d time.Duration) string {
	switch {
	case d < 2*time.Second:
		return "a second"
	case d < 2*time.Minute, d < 10*time.Minute && d.Round(time.Second)%time.Minute != 0:
		// 121 seconds is not "2 minutes", which auditui would have waited.
		return fmt.Sprintf("%d seconds", int(d.Round(time.Second)/time.Second))
	case d < 2*time.Hour:
		return fmt.Sprintf("%d minutes", int(d.Round(time.Minute)/time.Minute))
	}
	return fmt.Sprintf("%d hours", int(d.Round(time.Hour)/time.Hour))
}

func attempts(n int) string {
	if n == 1 {
		return "the one attempt failed"
	}
	return fmt.Sprintf("all %d attempts failed", n)
}

// netReason names a network failure in words, without the request URL the
// standard library puts in its messages.
func netReason(err error) string {
	var dns *net.DNSError
	var certUnknown x509.UnknownAuthorityError
	var certHost x509.HostnameError
	var certInvalid x509.CertificateInvalidError
	var tlsHeader tls.RecordHeaderError
	var ne net.Error
	switch {
	case errors.As(err, &dns):
		return fmt.Sprintf("the host name %q could not be resolved", dns.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset"
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return "the connection closed before the answer was complete"
	case errors.As(err, &certUnknown), errors.As(err, &certHost), errors.As(err, &certInvalid):
		return "the server's TLS certificate was not accepted"
	case errors.As(err, &tlsHeader):
		return "the server did not speak TLS (is the URL http rather than https?)"
	case errors.As(err, &ne) && ne.Timeout():
		return "the request timed out"
	}
	return "the request failed (" + sanitize.OneLine(unwrapURL(err).Error()) + ")"
}

// unwrapURL drops *url.Error's "Get <url>:" prefix.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// scrub returns err unless its text holds the key, when it returns the text
// redacted and nothing to unwrap.
func (c *Client) scrub(err error) error {
	if err == nil || c.red == nil {
		return err
	}
	if said := sanitize.OneLine(err.Error()); c.red.Text(said) != said {
		return errors.New(c.red.Text(said))
	}
	return err
}

// redact makes err safe to show, whatever path made it: an *Error's
// sentence on one line with the key redacted, its cause scrubbed.
func (c *Client) redact(err error) error {
	e, ok := err.(*Error)
	if !ok {
		return c.scrub(err)
	}
	out := *e
	out.Sentence = c.red.Text(sanitize.OneLine(e.Sentence))
	if api, ok := e.cause.(*APIError); ok {
		a := *api
		a.Type, a.Code, a.Param, a.Message = c.red.clean(a.Type), c.red.clean(a.Code), c.red.clean(a.Param), c.red.clean(a.Message)
		out.cause = &a
	} else {
		out.cause = c.scrub(e.cause)
	}
	return &out
}

// refusedType rewrites a 400 about event_types[] that names one of the
// types asked for which the catalogue lacks: the sentence says which, and
// the closest known names, since the query needs changing, not retrying.
func refusedType(err error, types []string) error {
	var e *Error
	var api *APIError
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest || !errors.As(e.cause, &api) || api.Param != "event_types[]" {
		return err
	}
	for _, t := range types {
		if _, known := model.LookupType(t); known || !strings.Contains(api.Message, "'"+t+"'") && len(types) > 1 {
			continue
		}
		near := slices.DeleteFunc(model.ClosestTypes(t, 4), func(n string) bool { return n == t })
		hint := "; auditui types lists the known ones."
		if len(near) > 0 {
			hint = "; did you mean " + strings.Join(near[:min(3, len(near))], ", ") + "?"
		}
		out := *e
		out.Sentence = fmt.Sprintf("The API does not know the event type %q (400)%s Change the query: asking again cannot help.", t, hint)
		return &out
	}
	return err
}
