package model

import (
	"context"
	"errors"
	"iter"
	"time"
)

// Page is one page of events, newest first, as the list endpoint returns it.
type Page struct {
	Events  []Event
	FirstID string
	LastID  string // the cursor for the next page
	HasMore bool
	Number  int // 1 for the first page of a query
	// Skipped lists records that could not be decoded; the rest of the page
	// is still delivered.
	Skipped []RecordError
}

// Query is what a Source is asked for: a filter, a page size and where to
// start (After is the last id already received; empty starts at the newest).
type Query struct {
	Filter   Filter
	PageSize int // 1-100; 0 means the default of 100
	After    string
}

// DefaultPageSize is the largest page the API serves.
const DefaultPageSize = 100

// Source yields pages of events newest first. The sequence stops after the
// last page, at the first error (yielded with a zero Page) or when ctx ends.
type Source interface {
	Pages(ctx context.Context, q Query) iter.Seq2[Page, error]
	// Name says where events come from, for headers and messages: an
	// organisation, "demo" or a file name.
	Name() string
}

// Retryable reports whether asking a Source again might end err: false
// only when the error says so (a request the server will refuse however
// often it is sent), so an error that does not know is retried.
func Retryable(err error) bool {
	var r interface{ Retryable() bool }
	if errors.As(err, &r) {
		return r.Retryable()
	}
	return true
}

// Retry is a Source's report that a page failed and is about to be asked
// for again, for a person watching the wait.
type Retry struct {
	Page    int       // the page being fetched, 1-based
	Attempt int       // the attempt about to be made: 2 for the first retry
	Of      int       // the attempts allowed in all
	At      time.Time // when it will be made
	Reason  string    // what failed, a few words: "rate limited", "no connection"
	// RateLimited says the wait is the server's (Retry-After), not backoff.
	RateLimited bool
}

type retryReportKey struct{}

// WithRetryReports returns ctx carrying report, which a Source calls before
// each retry of a request made with that context: the report belongs to
// the listing that made it, whoever made the Source.
func WithRetryReports(ctx context.Context, report func(Retry)) context.Context {
	return context.WithValue(ctx, retryReportKey{}, report)
}

// ReportRetry tells the report ctx carries, if any, about r.
func ReportRetry(ctx context.Context, r Retry) {
	if report, ok := ctx.Value(retryReportKey{}).(func(Retry)); ok {
		report(r)
	}
}
