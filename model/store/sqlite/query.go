package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
)

// Name says where the events come from.
func (s *Store) Name() string { return "store " + s.path }

var _ model.Source = (*Store)(nil)

// where is the SQL for what of f the columns can answer; f.Match checks
// each row as well, so the answer is exactly the filter's.
func where(f model.Filter) (string, []any) {
	var conds []string
	var args []any
	in := func(values []string, conv func(string) string) string {
		for _, v := range values {
			args = append(args, conv(v))
		}
		return "(" + strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", ") + ")"
	}
	same := func(s string) string { return s }
	if len(f.Types) > 0 {
		conds = append(conds, "type IN "+in(f.Types, same))
	}
	if len(f.ActorEmails) > 0 {
		conds = append(conds, "actor_email IN "+in(f.ActorEmails, same))
	}
	if len(f.ProjectIDs) > 0 {
		conds = append(conds, "project_id IN "+in(f.ProjectIDs, same))
	}
	if len(f.ActorIDs) > 0 {
		conds = append(conds, "pos IN (SELECT pos FROM actor_ids WHERE actor_id IN "+in(f.ActorIDs, same)+")")
	}
	if len(f.ResourceIDs) > 0 {
		conds = append(conds, "pos IN (SELECT pos FROM resource_ids WHERE resource_id IN "+in(f.ResourceIDs, same)+")")
	}
	if !f.Since.IsZero() {
		conds = append(conds, "at >= ?")
		args = append(args, f.Since.UnixNano())
	}
	if !f.Until.IsZero() {
		conds = append(conds, "at < ?")
		args = append(args, f.Until.UnixNano())
	}
	if f.TenantOnly {
		conds = append(conds, "listing = ?")
		args = append(args, string(store.TenantOnly))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Pages yields the stored events matching q newest first (ties by id),
// paged like the API: PageSize at a time, starting after q.After.
func (s *Store) Pages(ctx context.Context, q model.Query) iter.Seq2[model.Page, error] {
	return func(yield func(model.Page, error) bool) {
		size := cmp.Or(q.PageSize, model.DefaultPageSize)
		if size < 1 || size > model.DefaultPageSize {
			yield(model.Page{}, fmt.Errorf("page size %d is out of range: use 1 to %d", q.PageSize, model.DefaultPageSize))
			return
		}
		cond, args := where(q.Filter)
		after := q.After
		for number := 1; ; number++ {
			p, err := s.page(ctx, q.Filter, cond, args, after, size)
			if err != nil {
				yield(model.Page{}, err)
				return
			}
			p.Number = number
			if !yield(p, nil) || !p.HasMore {
				return
			}
			after = p.LastID
		}
	}
}

// page reads one page after the event with id after ("" for the newest).
// The columns answer the filter; f.Match checks each row too, and rows it
// drops are made up from further down.
func (s *Store) page(ctx context.Context, f model.Filter, cond string, args []any, after string, size int) (model.Page, error) {
	var p model.Page
	for {
		batch, err := s.batch(ctx, cond, args, after, size+1)
		if err != nil {
			return p, err
		}
		for i := range batch {
			if !f.Match(&batch[i]) {
				continue
			}
			if len(p.Events) == size {
				p.HasMore = true
				break
			}
			p.Events = append(p.Events, batch[i])
		}
		if p.HasMore || len(batch) < size+1 {
			break
		}
		after = batch[len(batch)-1].ID
	}
	if n := len(p.Events); n > 0 {
		p.FirstID, p.LastID = p.Events[0].ID, p.Events[n-1].ID
	}
	return p, nil
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
		e, err := s.decode(raw)
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

// Resource is every stored event that acted on id, oldest first.
func (s *Store) Resource(ctx context.Context, id string) ([]model.Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT raw FROM events WHERE pos IN (SELECT pos FROM resource_ids WHERE resource_id = ?) ORDER BY at, id`, id)
	if err != nil {
		return nil, s.fail("read", err)
	}
	return s.records(rows, 0)
}

// sinceBatch is how many events Since reads per query, so that a slow
// follower does not hold a read snapshot open.
const sinceBatch = 1000

// Since yields the events stored after position after, in stored order.
func (s *Store) Since(ctx context.Context, after int64) iter.Seq2[store.Stored, error] {
	return func(yield func(store.Stored, error) bool) {
		for {
			batch, err := s.since(ctx, after)
			if err != nil {
				yield(store.Stored{}, err)
				return
			}
			for _, st := range batch {
				if !yield(st, nil) {
					return
				}
				after = st.Pos
			}
			if len(batch) < sinceBatch {
				return
			}
		}
	}
}

func (s *Store) since(ctx context.Context, after int64) ([]store.Stored, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT pos, raw FROM events WHERE pos > ? ORDER BY pos LIMIT ?", after, sinceBatch)
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
		if st.Event, err = s.decode(raw); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("read", err)
	}
	return out, nil
}

// Wait returns once events are stored after position after: SQLite cannot
// tell another process's commit, so it looks every store.WaitInterval.
func (s *Store) Wait(ctx context.Context, after int64) error {
	t := time.NewTicker(store.WaitInterval)
	defer t.Stop()
	for {
		var last sql.NullInt64
		if err := s.db.QueryRowContext(ctx, "SELECT max(pos) FROM events").Scan(&last); err != nil {
			return s.fail("read", err)
		}
		if last.Int64 > after {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
