package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
)

// Name says where the events come from.
func (s *Store) Name() string { return "store " + s.path }

var _ model.Source = (*Store)(nil)

func placeholder(int) string { return "?" }

// Pages yields the stored events matching q newest first (ties by id),
// paged like the API, the filter pushed down to SQL.
func (s *Store) Pages(ctx context.Context, q model.Query) iter.Seq2[model.Page, error] {
	cond, args := store.Where(q.Filter, placeholder)
	return store.Pages(q, func(after string, n int) ([]model.Event, error) {
		return s.batch(ctx, cond, args, after, n)
	})
}

// batch reads up to n events matching cond after the event with id after.
// The order and limit are found in the indexes alone, then only those rows'
// records are read.
func (s *Store) batch(ctx context.Context, cond string, args []any, after string, n int) ([]model.Event, error) {
	if after != "" {
		var at int64
		err := s.db.QueryRowContext(ctx, "SELECT at FROM events WHERE id = ?", after).Scan(&at)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("%s has no event with id %q to continue after", s.Name(), after)
		}
		if err != nil {
			return nil, s.fail("read", err)
		}
		if cond == "" {
			cond = " WHERE (at, id) < (?, ?)"
		} else {
			cond += " AND (at, id) < (?, ?)"
		}
		args = append(args[:len(args):len(args)], at, after)
	}
	args = append(args[:len(args):len(args)], n)
	rows, err := s.db.QueryContext(ctx, `SELECT e.raw FROM events e JOIN (SELECT pos FROM events`+cond+
		` ORDER BY at DESC, id DESC LIMIT ?) k ON e.pos = k.pos ORDER BY e.at DESC, e.id DESC`, args...)
	if err != nil {
		return nil, s.fail("read", err)
	}
	return s.records(rows, n)
}

// records decodes rows of raw records, closing them.
func (s *Store) records(rows *sql.Rows, n int) ([]model.Event, error) {
	defer rows.Close()
	out := make([]model.Event, 0, n)
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return nil, s.fail("read", err)
		}
		e, err := store.Decode(s.path, raw)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("read", err)
	}
	return out, nil
}

// Record is the stored record of event id, for an event that left it here
// (model.RecordKeeper).
func (s *Store) Record(ctx context.Context, id string) ([]byte, error) {
	var raw []byte
	err := s.db.QueryRowContext(ctx, "SELECT raw FROM events WHERE id = ?", id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("the store %s no longer holds event %s", s.path, id)
	}
	if err != nil {
		return nil, s.fail("read", err)
	}
	return raw, nil
}

// Resource is every stored event that acted on id, oldest first; within
// a second, in the reverse of the order stored, which is the API's (newest
// first).
func (s *Store) Resource(ctx context.Context, id string) ([]model.Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT raw FROM events WHERE pos IN (SELECT pos FROM resource_ids WHERE resource_id = ?) ORDER BY at, pos DESC`, id)
	if err != nil {
		return nil, s.fail("read", err)
	}
	return s.records(rows, 0)
}

// Since yields the events stored after position after, in stored order.
func (s *Store) Since(ctx context.Context, after int64) iter.Seq2[store.Stored, error] {
	return store.SinceBatches(after, func(after int64) ([]store.Stored, error) { return s.since(ctx, after) })
}

func (s *Store) since(ctx context.Context, after int64) ([]store.Stored, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT pos, raw FROM events WHERE pos > ? ORDER BY pos LIMIT ?", after, store.SinceBatch)
	if err != nil {
		return nil, s.fail("read", err)
	}
	defer rows.Close()
	var out []store.Stored
	for rows.Next() {
		var st store.Stored
		var raw []byte
		if err := rows.Scan(&st.Pos, &raw); err != nil {
			return nil, s.fail("read", err)
		}
		if st.Event, err = store.Decode(s.path, raw); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("read", err)
	}
	return out, nil
}

// Last is the position of the newest stored event, 0 when there is none.
func (s *Store) Last(ctx context.Context) (int64, error) {
	var last sql.NullInt64
	if err := s.db.QueryRowContext(ctx, "SELECT max(pos) FROM events").Scan(&last); err != nil {
		return 0, s.fail("read", err)
	}
	return last.Int64, nil
}

// Wait returns once events are stored after position after: SQLite cannot
// tell another process's commit, so it looks every store.WaitInterval.
func (s *Store) Wait(ctx context.Context, after int64) error {
	t := time.NewTicker(store.WaitInterval)
	defer t.Stop()
	return store.WaitAfter(ctx, after, s.Last, func() <-chan time.Time { return t.C })
}
