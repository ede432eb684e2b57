// Package store keeps an organisation's audit log on disk: every event's raw
// JSON, deduplicated by id, the time ranges of each listing known to be
// complete, and where the events came from. Store is what the browser,
// export, sync and history need; backends (SQLite today) implement it and
// pass the same conformance suite, storetest.
package store

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/auditui/auditui/model"
)

// Failure is a sentence for the user that wraps a backend's error without
// repeating the driver's own words, which may name the server and user or
// say the sentence again in jargon ("disk I/O error (778)").
type Failure struct {
	Msg string
	Err error
}

func (f Failure) Error() string { return f.Msg }
func (f Failure) Unwrap() error { return f.Err }

// Listing is one of the API's listings, which it keeps apart: the default
// one, and tenant_only, which alone lists tenant-scoped events.
type Listing string

const (
	Default    Listing = "default"
	TenantOnly Listing = "tenant_only"
)

// Listings are every listing, in the order they are synced and shown.
var Listings = []Listing{Default, TenantOnly}

// ListingOf is the listing the API serves e in.
func ListingOf(e *model.Event) Listing {
	if model.IsTenantType(e.Type) {
		return TenantOnly
	}
	return Default
}

// Listed reports whether the API lists e for f, which a store answering
// f must keep to: a filter naming no type and not tenant_only lists the
// default listing, without tenant-scoped events ("no query" leaves them
// out). With types, the filter already says it.
func Listed(f model.Filter, e *model.Event) bool {
	return len(f.Types) > 0 || f.TenantOnly || !model.IsTenantType(e.Type)
}

// Filter is the filter that lists l from the API.
func (l Listing) Filter() model.Filter { return model.Filter{TenantOnly: l == TenantOnly} }

// Range is a half-open time range [Since, Until).
type Range struct {
	Since, Until time.Time
}

// IsEmpty reports whether r holds no instant.
func (r Range) IsEmpty() bool { return !r.Since.Before(r.Until) }

// Meta is what a store records about itself and where its events came from.
type Meta struct {
	BaseURL  string    // the API the events were listed from; "" until the first sync
	OrgID    string    // the organisation id sent with the requests; "" when none was
	Schema   int       // the schema version of the store
	LastSync time.Time // when a sync last finished; zero before the first
	// Since is how far back syncs fill the store: the first sync's --since,
	// or the Unix epoch for everything; zero before the first sync.
	Since time.Time
}

// KnownSince is from when the store holds every event its syncs list: Since,
// or zero when its syncs reach back to the beginning (or none ran yet).
func (m Meta) KnownSince() time.Time {
	if m.Since.After(time.Unix(0, 0)) {
		return m.Since
	}
	return time.Time{}
}

// Store is an organisation's audit log kept locally. It is safe for
// concurrent use, also by several processes on one store: writes are
// transactions, so a store is never half-written and never holds an event
// twice.
type Store interface {
	// Write stores events listed from l, dropping those whose id is
	// already stored, and records that complete (which may be empty) now
	// holds every event l lists in it: all in one transaction. It returns
	// how many events were new.
	Write(ctx context.Context, l Listing, events []model.Event, complete Range) (int, error)
	// Coverage is the ranges of l known complete, oldest first, merged
	// where they touch.
	Coverage(ctx context.Context, l Listing) ([]Range, error)
	// Newest is the newest stored event of l; ok is false when l has none.
	Newest(ctx context.Context, l Listing) (e model.Event, ok bool, err error)
	// Count is how many events are stored.
	Count(ctx context.Context) (int, error)
	// Source serves the stored events matching a query newest first, paged
	// as the API pages them, with the filter evaluated by the backend.
	model.Source
	// Resource is every stored event that acted on the object id, oldest
	// first (within a second, the reverse of the API's order, as stored):
	// an object's history.
	Resource(ctx context.Context, id string) ([]model.Event, error)
	// Since yields the events stored after the position after (0 is the
	// beginning), in the order they were stored, each with its position: a
	// follower that remembers the last position it handled resumes there.
	Since(ctx context.Context, after int64) iter.Seq2[Stored, error]
	// Last is the position of the newest stored event, 0 when there is
	// none: a follower that wants only what comes next waits after it.
	Last(ctx context.Context) (int64, error)
	// Wait returns once the store holds events after position after (at
	// once if it already does), or with ctx's error: a follower calls it
	// between reads of Since instead of sleeping. Another process's writes
	// count too; SQLite looks every WaitInterval, PostgreSQL is told.
	Wait(ctx context.Context, after int64) error
	// Checkpoint and SetCheckpoint keep a follower's position under a name.
	Checkpoint(ctx context.Context, name string) (int64, error)
	SetCheckpoint(ctx context.Context, name string, pos int64) error
	// Meta and SetMeta read and record where the events came from and
	// when they were last synced; SetMeta leaves Schema alone.
	Meta(ctx context.Context) (Meta, error)
	SetMeta(ctx context.Context, m Meta) error
	// Location says where the store is, for messages and auditui store.
	Location() string
	Close() error
}

// WaitInterval is how often a store that cannot be told of new events
// looks for them while a follower waits.
const WaitInterval = 250 * time.Millisecond

// SyncLocker is a store shared by machines, where one sync at a time may
// write: LockSync holds the store until release, or says in one sentence
// that another sync has it.
type SyncLocker interface {
	LockSync(ctx context.Context) (release func(), err error)
}

// ErrSyncTaken is wrapped by the error of a write from a sync whose lock
// another sync took while this one was cut off from the store: it stops.
var ErrSyncTaken = errors.New("another sync holds the store")

// Stored is an event with its position in the order events were stored.
type Stored struct {
	Pos   int64
	Event model.Event
}

// ErrNotStore is wrapped by the error for a file or database that is not an
// auditui store, or one written by a newer auditui.
var ErrNotStore = errors.New("not an auditui store")

// Merge sorts ranges and joins those that overlap or touch, dropping empty
// ones.
func Merge(rs []Range) []Range {
	var out []Range
	for _, r := range sortRanges(rs) {
		if r.IsEmpty() {
			continue
		}
		if n := len(out); n > 0 && !r.Since.After(out[n-1].Until) {
			if r.Until.After(out[n-1].Until) {
				out[n-1].Until = r.Until
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// Gaps is the parts of want not inside covered (merged, oldest first).
func Gaps(covered []Range, want Range) []Range {
	var gaps []Range
	at := want.Since
	for _, c := range Merge(covered) {
		if !c.Until.After(at) {
			continue
		}
		if !c.Since.Before(want.Until) {
			break
		}
		if c.Since.After(at) {
			gaps = append(gaps, Range{at, c.Since})
		}
		at = c.Until
	}
	if at.Before(want.Until) {
		gaps = append(gaps, Range{at, want.Until})
	}
	return gaps
}

func sortRanges(rs []Range) []Range {
	out := slices.Clone(rs)
	slices.SortFunc(out, func(a, b Range) int { return a.Since.Compare(b.Since) })
	return out
}

// AsOf says when the store was last synced, for a line or a header:
// "synced 3h ago", "never synced".
func (m Meta) AsOf(now time.Time) string {
	if m.LastSync.IsZero() {
		return "never synced"
	}
	d := now.Sub(m.LastSync)
	switch {
	case d < time.Minute:
		return "synced just now"
	case d < time.Hour:
		return fmt.Sprintf("synced %dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("synced %dh ago", int(d/time.Hour))
	}
	return fmt.Sprintf("synced %dd ago", int(d/(24*time.Hour)))
}

// Rows is m as the key-value rows a SQL backend keeps it in (Schema aside).
func (m Meta) Rows() map[string]string {
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	return map[string]string{"base_url": m.BaseURL, "org_id": m.OrgID, "last_sync": stamp(m.LastSync), "since": stamp(m.Since)}
}

// SetRow reads back one row that Rows wrote; unknown keys are left alone.
func (m *Meta) SetRow(k, v string) {
	switch k {
	case "base_url":
		m.BaseURL = v
	case "org_id":
		m.OrgID = v
	case "last_sync":
		m.LastSync, _ = time.Parse(time.RFC3339Nano, v)
	case "since":
		m.Since, _ = time.Parse(time.RFC3339Nano, v)
	}
}
