package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
)

var _ model.Source = (*Store)(nil)

func placeholder(i int) string { return "$" + strconv.Itoa(i) }

// Pages yields the stored events matching q newest first (ties by id),
// paged like the API, the filter pushed down to SQL.
func (s *Store) Pages(ctx context.Context, q model.Query) iter.Seq2[model.Page, error] {
	cond, args := store.Where(q.Filter, placeholder)
	return store.Pages(q, func(after string, n int) ([]model.Event, error) {
		return s.batch(ctx, cond, args, after, n)
	})
}

// batch reads up to n events matching cond after the event with id after,
// newest first: the order and limit from the indexes, then the records.
func (s *Store) batch(ctx context.Context, cond string, args []any, after string, n int) ([]model.Event, error) {
	var out []model.Event
	err := s.retry(ctx, "read", func(ctx context.Context) error {
		cond, args := cond, args[:len(args):len(args)]
		if after != "" {
			var at int64
			err := s.pool.QueryRow(ctx, "SELECT at FROM events WHERE id = $1", after).Scan(&at)
			if errors.Is(err, pgx.ErrNoRows) {
				return said{fmt.Errorf("%s has no event with id %q to continue after", s.Name(), after)}
			}
			if err != nil {
				return err
			}
			tie := "(at, id) < (" + placeholder(len(args)+1) + ", " + placeholder(len(args)+2) + ")"
			if cond == "" {
				cond = " WHERE " + tie
			} else {
				cond += " AND " + tie
			}
			args = append(args, at, after)
		}
		args = append(args, n)
		rows, err := s.pool.Query(ctx, "SELECT raw FROM events"+cond+" ORDER BY at DESC, id DESC LIMIT "+placeholder(len(args)), args...)
		if err != nil {
			return err
		}
		out, err = s.records(rows)
		return err
	})
	return out, err
}

// records decodes rows of raw records.
func (s *Store) records(rows pgx.Rows) ([]model.Event, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.Event, error) {
		var raw []byte
		if err := r.Scan(&raw); err != nil {
			return model.Event{}, err
		}
		e, err := store.Decode(s.loc, raw)
		return e, sentence(err)
	})
}

// Newest is l's newest stored event.
func (s *Store) Newest(ctx context.Context, l store.Listing) (model.Event, bool, error) {
	var events []model.Event
	err := s.retry(ctx, "read", func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, "SELECT raw FROM events WHERE listing = $1 ORDER BY at DESC, id DESC LIMIT 1", string(l))
		if err != nil {
			return err
		}
		events, err = s.records(rows)
		return err
	})
	if err != nil || len(events) == 0 {
		return model.Event{}, false, err
	}
	return events[0], true, nil
}

// Record is the stored record of event id, for an event that left it here
// (model.RecordKeeper).
func (s *Store) Record(ctx context.Context, id string) ([]byte, error) {
	var raw []byte
	found := true
	err := s.retry(ctx, "read", func(ctx context.Context) error {
		err := s.pool.QueryRow(ctx, "SELECT raw FROM events WHERE id = $1", id).Scan(&raw)
		if errors.Is(err, pgx.ErrNoRows) {
			found, err = false, nil
		}
		return err
	})
	if err == nil && !found {
		return nil, fmt.Errorf("the store %s no longer holds event %s", s.loc, id)
	}
	return raw, err
}

// Resource is every stored event that acted on id, oldest first; within
// a second, in the reverse of the order stored, which is the API's (newest
// first).
func (s *Store) Resource(ctx context.Context, id string) ([]model.Event, error) {
	var out []model.Event
	err := s.retry(ctx, "read", func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, "SELECT raw FROM events WHERE pos IN (SELECT pos FROM resource_ids WHERE resource_id = $1) ORDER BY at, pos DESC", id)
		if err != nil {
			return err
		}
		out, err = s.records(rows)
		return err
	})
	return out, err
}

// Since yields the events stored after position after, in stored order;
// Writes commit one at a time, so a position once seen has none missing
// before it.
func (s *Store) Since(ctx context.Context, after int64) iter.Seq2[store.Stored, error] {
	return store.SinceBatches(after, func(after int64) ([]store.Stored, error) {
		var batch []store.Stored
		err := s.retry(ctx, "read", func(ctx context.Context) error {
			rows, err := s.pool.Query(ctx, "SELECT pos, raw FROM events WHERE pos > $1 ORDER BY pos LIMIT $2", after, store.SinceBatch)
			if err != nil {
				return err
			}
			batch, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Stored, error) {
				var st store.Stored
				var raw []byte
				if err := r.Scan(&st.Pos, &raw); err != nil {
					return st, err
				}
				st.Event, err = store.Decode(s.loc, raw)
				return st, sentence(err)
			})
			return err
		})
		return batch, err
	})
}
