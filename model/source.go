package model

import (
	"context"
	"iter"
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
