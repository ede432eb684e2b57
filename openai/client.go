package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/auditui/auditui/model"
)

// Client lists audit-log pages through the SDK. It is safe for concurrent
// use; each Pages sequence pages on its own.
type Client struct {
	api     sdk.Client
	red     *redactor // finds the admin key in anything shown or delivered
	host    string    // for sentences about the network
	base    string    // redacted base URL, for sentences about 404
	name    string
	retries int
	maxWait time.Duration
	refused *Error // the Config failed Check: every listing ends with this
}

var _ model.Source = (*Client)(nil)

// New makes a client from c. Where the SDK would read the same settings from
// the environment, c wins.
func New(c Config) *Client {
	retries := c.Retries
	switch {
	case retries == 0:
		retries = DefaultRetries
	case retries < 0:
		retries = 0
	}
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	cl := &Client{red: newRedactor(c.AdminKey), name: c.Name, retries: retries, maxWait: c.MaxRetryDelay}
	cl.base = cl.red.clean(redactURL(base))
	if err := c.Check(); err != nil {
		// Nothing is sent, and nothing about the settings is shown.
		cl.refused = &Error{Sentence: err.Error() + "."}
		cl.base, cl.name = "(refused)", "OpenAI organisation"
		return cl
	}
	if u, err := url.Parse(base); err == nil {
		cl.host = u.Host
	}
	if cl.name == "" {
		cl.name = "OpenAI organisation"
		if c.OrgID != "" {
			cl.name += " " + c.OrgID
		}
	}
	opts := []option.RequestOption{
		// The SDK also reads OPENAI_PROJECT_ID and OPENAI_ORG_ID itself; only
		// what c says is sent.
		option.WithHeaderDel("OpenAI-Project"),
		option.WithHeaderDel("OpenAI-Organization"),
		option.WithBaseURL(base),
		option.WithAdminAPIKey(c.AdminKey),
		option.WithMaxRetries(0), // fetch retries, see there
		option.WithMiddleware(markBodyErrors),
	}
	if c.OrgID != "" {
		opts = append(opts, option.WithOrganization(c.OrgID))
	}
	opts = append(opts, option.WithHTTPClient(&http.Client{Transport: c.Transport, CheckRedirect: sameOriginOnly(base)}))
	timeout := c.RequestTimeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	opts = append(opts, option.WithRequestTimeout(timeout))
	cl.api = sdk.NewClient(opts...)
	return cl
}

// Name says where events come from.
func (c *Client) Name() string { return c.name }

// Pages yields the pages matching q, newest first, each as soon as it
// arrives. It stops after the last page, at the first error (yielded with a
// zero Page; an *Error unless ctx ended, when it is ctx's error) or when the
// caller stops. To resume, pass the last page's LastID as q.After.
func (c *Client) Pages(ctx context.Context, q model.Query) iter.Seq2[model.Page, error] {
	if c.refused != nil {
		return func(yield func(model.Page, error) bool) { yield(model.Page{}, c.refused) }
	}
	fs := sides(q.Filter)
	switch len(fs) {
	case 0:
		return func(yield func(model.Page, error) bool) { yield(model.Page{Number: 1}, nil) }
	case 1:
		q.Filter = fs[0]
		return c.redacted(c.pages(ctx, q))
	}
	return c.redacted(c.merged(ctx, q, fs))
}

// redacted passes every error of pages through redact: the one way out for
// what the client says went wrong.
func (c *Client) redacted(pages iter.Seq2[model.Page, error]) iter.Seq2[model.Page, error] {
	return func(yield func(model.Page, error) bool) {
		for page, err := range pages {
			if !yield(page, c.redact(err)) {
				return
			}
		}
	}
}

// pages lists one filter the API can answer in a single listing.
func (c *Client) pages(ctx context.Context, q model.Query) iter.Seq2[model.Page, error] {
	return func(yield func(model.Page, error) bool) {
		params := listParams(q)
		// Every cursor already sent: one coming back means the API is
		// looping, and following it would repeat events forever.
		sent := map[string]bool{}
		if q.After != "" {
			sent[q.After] = true
		}
		// Every id delivered in this listing (ids only, not events): an
		// endpoint that repeats events (an inclusive cursor, a page served
		// twice, pages A, B, A, B under fresh cursors, an id twice in one
		// page) has each delivered once.
		seen := map[string]bool{}
		if q.After != "" {
			seen[q.After] = true
		}
		stale := 0 // pages in a row that brought only repeats
		for n := 1; ; n++ {
			page, next, err := c.fetch(ctx, params, n, sent)
			if known, ok := withoutNewerTypes(err, params.EventTypes); ok {
				// A server older than the SDK refused a type it cannot
				// hold events of: ask again without it.
				params.EventTypes = known
				n--
				continue
			}
			if err != nil {
				yield(model.Page{}, refusedType(err, params.EventTypes))
				return
			}
			had := len(page.Events)
			page.Events = dropRepeats(page.Events, seen)
			if had > 0 && len(page.Events) == 0 && page.HasMore {
				stale++
			} else {
				stale = 0
			}
			if stale > c.retries {
				// Fresh cursors over the same events: following them would
				// never end.
				yield(model.Page{}, &Error{Page: n, Sentence: fmt.Sprintf(
					"Pages %d to %d from the API held only events already read, each under a new cursor, so listing stopped there rather than loop; the events before them are complete.",
					n-stale+1, n)})
				return
			}
			if !yield(page, nil) || !page.HasMore {
				return
			}
			sent[next] = true
			params.After = sdk.String(next)
		}
	}
}

// dropRepeats removes events whose id is in seen, in place, and adds the
// ids of those it keeps.
func dropRepeats(events []model.Event, seen map[string]bool) []model.Event {
	kept := events[:0]
	for _, e := range events {
		if !seen[e.ID] {
			seen[e.ID] = true
			kept = append(kept, e)
		}
	}
	return kept
}

// listParams names every filter as the spec does; the SDK's query encoder
// writes event_types[], effective_at[gte] and so on.
func listParams(q model.Query) sdk.AdminOrganizationAuditLogListParams {
	f := q.Filter
	size := q.PageSize
	if size <= 0 {
		size = model.DefaultPageSize
	}
	p := sdk.AdminOrganizationAuditLogListParams{
		Limit:       sdk.Int(int64(size)),
		EventTypes:  f.Types,
		ActorIDs:    f.ActorIDs,
		ActorEmails: f.ActorEmails,
		ProjectIDs:  f.ProjectIDs,
		ResourceIDs: f.ResourceIDs,
	}
	if q.After != "" {
		p.After = sdk.String(q.After)
	}
	if f.TenantOnly {
		p.TenantOnly = sdk.Bool(true)
	}
	// effective_at is whole seconds: rounding both bounds up keeps Since
	// inclusive and Until exclusive for a bound with a fraction.
	if !f.Since.IsZero() {
		p.EffectiveAt.Gte = sdk.Int(ceilUnix(f.Since))
	}
	if !f.Until.IsZero() {
		p.EffectiveAt.Lt = sdk.Int(ceilUnix(f.Until))
	}
	return p
}

func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

// fetch gets page n and the cursor that follows it. A failure that may
// pass (see retryIn), or a page that arrived whole but cannot be read or
// would send paging in circles, is asked for again here, on the same
// cursor, so that a passing fault loses and repeats no event. The SDK does
// not retry: it would wait for a Retry-After inside the attempt's own
// timeout, which cuts a wait longer than that short.
func (c *Client) fetch(ctx context.Context, params sdk.AdminOrganizationAuditLogListParams, n int, sent map[string]bool) (model.Page, string, error) {
	for attempt := 0; ; attempt++ {
		var body []byte
		var res *http.Response // kept even on failure: the status survives an error body the SDK cannot read
		_, err := c.api.Admin.Organization.AuditLogs.List(ctx, params, option.WithResponseInto(&res), option.WithResponseBodyInto(&body),
			option.WithHeader("X-Stainless-Retry-Count", strconv.Itoa(attempt)))
		var delay time.Duration
		var why string
		if err != nil {
			d, again := c.retryIn(err, res, attempt)
			if !again || ctx.Err() != nil {
				return model.Page{}, "", c.explain(ctx, err, res, n, attempt)
			}
			delay, why = d, retryReason(err, res)
		} else {
			page, next, bad := c.check(body, n, sent)
			if bad == nil {
				page.Number = n
				return page, next, nil
			}
			if attempt >= c.retries {
				return model.Page{}, "", bad(attempts(attempt + 1))
			}
			delay, why = c.backoff(attempt), "the page could not be used"
		}
		model.ReportRetry(ctx, model.Retry{Page: n, Attempt: attempt + 2, Of: c.retries + 1, At: time.Now().Add(delay), Reason: why,
			RateLimited: res != nil && res.StatusCode == http.StatusTooManyRequests && retryAfter(res) > 0})
		if err := wait(ctx, delay); err != nil {
			return model.Page{}, "", err
		}
	}
}

// retryIn says how long to wait before asking again after an attempt that
// failed with err (res is its answer, if one came), or false when asking
// again cannot help or the retries are spent.
func (c *Client) retryIn(err error, res *http.Response, attempt int) (time.Duration, bool) {
	var repeats interface{ noRetry() } // the SDK's mark for a failure that would repeat
	switch {
	case attempt >= c.retries, errors.Is(err, errTooLarge), errors.Is(err, errOtherOrigin), errors.As(err, &repeats):
		return 0, false
	case res != nil && res.StatusCode >= 300:
		if !retryableStatus(res) {
			return 0, false
		}
		if d := retryAfter(res); d > 0 {
			return d, d <= c.retryAfterCap()
		}
	}
	// No answer, one cut short, an attempt out of time, or a status without
	// a Retry-After.
	return c.backoff(attempt), true
}

// retryReason says in a few words why an attempt is being made again.
func retryReason(err error, res *http.Response) string {
	var be *bodyError
	switch {
	case res != nil && res.StatusCode == http.StatusTooManyRequests:
		return "rate limited"
	case res != nil && res.StatusCode >= 300:
		return fmt.Sprintf("the API answered %d", res.StatusCode)
	case errors.As(err, &be):
		return "the connection dropped mid-page"
	case errors.Is(err, context.DeadlineExceeded):
		return "the page did not arrive in time"
	}
	return netReason(err)
}

// retryableStatus is the SDK's rule: the server's x-should-retry if it
// says, else 408, 409, 429 and 5xx.
func retryableStatus(res *http.Response) bool {
	switch res.Header.Get("x-should-retry") {
	case "true":
		return true
	case "false":
		return false
	}
	s := res.StatusCode
	return s == http.StatusRequestTimeout || s == http.StatusConflict || s == http.StatusTooManyRequests || s >= 500
}

// check decodes a page and makes sure paging can go on from it. A problem
// comes back as a function that tells it, given how the attempts went.
func (c *Client) check(body []byte, n int, sent map[string]bool) (model.Page, string, func(tries string) *Error) {
	// The key goes before anything is decoded, so neither the events nor
	// a reason quoting a piece of the body can hold it.
	page, err := model.DecodePage(c.red.Bytes(body))
	if err != nil {
		return page, "", func(tries string) *Error {
			return &Error{Page: n, cause: c.scrub(err), Sentence: fmt.Sprintf(
				"Page %d from the API could not be read (%s), and %s; try again later, and if it persists report it with the time it happened.",
				n, c.red.clean(err.Error()), tries)}
		}
	}
	next := page.LastID
	if next == "" && len(page.Events) > 0 {
		next = page.Events[len(page.Events)-1].ID
	}
	var problem string
	switch {
	case page.HasMore && len(page.Events) == 0 && len(page.Skipped) == 0:
		problem = "was empty yet said more pages follow"
	case page.LastID != "" && sent[page.LastID]:
		// A correct API never ends a page on a cursor it was given.
		problem = fmt.Sprintf("pointed back to cursor %q, which was already read", c.red.clean(page.LastID))
	case !page.HasMore:
	case next == "":
		problem = "said more pages follow but gave no cursor to fetch them with"
	}
	if problem == "" {
		return page, next, nil
	}
	return page, "", func(tries string) *Error {
		return &Error{Page: n, Sentence: fmt.Sprintf(
			"Page %d from the API %s, and %s, so listing stopped there rather than loop or repeat events; the events before it are complete.",
			n, problem, tries)}
	}
}

// backoff is the SDK's schedule, without its jitter: half a second
// doubling, capped.
func (c *Client) backoff(attempt int) time.Duration {
	limit := 8 * time.Second
	if c.maxWait > 0 {
		limit = c.maxWait
	}
	d := time.Duration(float64(500*time.Millisecond) * math.Pow(2, float64(attempt)))
	if d <= 0 || d > limit {
		d = limit
	}
	return d
}

func wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// errOtherOrigin is a redirect refused because it leads away from the base
// URL's origin, where the SDK would not send the key and auditui would not
// want it to.
var errOtherOrigin = errors.New("redirect to another origin")

// sameOriginOnly follows a redirect only within the base URL's scheme, host
// and port, and no more than ten in a row.
func sameOriginOnly(base string) func(*http.Request, []*http.Request) error {
	origin, _ := url.Parse(base)
	return func(req *http.Request, via []*http.Request) error {
		if origin == nil || !strings.EqualFold(req.URL.Scheme, origin.Scheme) || !strings.EqualFold(req.URL.Host, origin.Host) {
			return errOtherOrigin
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// MaxPageBytes caps one answer's body as decoded (after gzip): a page of 100
// events is far below it and a 10 MB record fits, while a small compressed
// body that inflates to gigabytes is stopped before it fills memory.
const MaxPageBytes = 64 << 20

// markBodyErrors caps every answer's body at MaxPageBytes, and lets fetch
// tell a connection dropped mid-body from other failures: reads of a
// successful answer's body fail with a *bodyError.
func markBodyErrors(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	res, err := next(req)
	if err == nil {
		res.Body = &markedBody{ReadCloser: res.Body, left: MaxPageBytes, ok: res.StatusCode >= 200 && res.StatusCode <= 299}
	}
	return res, err
}

type markedBody struct {
	io.ReadCloser
	left int64 // bytes still allowed
	ok   bool  // a 2xx answer, whose failed reads are a *bodyError
}

func (b *markedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1] // one byte past the cap tells a body of exactly the cap from a longer one
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	switch {
	case b.left < 0:
		return n - 1, errTooLarge
	case err != nil && err != io.EOF && b.ok:
		err = &bodyError{err: err}
	}
	return n, err
}

// errTooLarge is a body longer than MaxPageBytes once decoded; asking
// again would only fill memory again.
var errTooLarge = fmt.Errorf("the answer was larger than %d MiB once decompressed", MaxPageBytes>>20)

// bodyError is a response body that ended before it was complete.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "the response ended early: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }
