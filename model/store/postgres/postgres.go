// Package postgres is the store in a PostgreSQL database, for a team: one
// sync job writes, analysts read with a read-only role, and followers are
// told of new events (LISTEN/NOTIFY). It keeps the SQLite store's
// guarantees: each event's raw JSON byte for byte (bytea), dedupe by id,
// coverage per listing, a versioned schema, all in a schema of its own,
// auditui; a database that is not ours, or a newer schema, is refused.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
)

// IsURL reports whether name is a PostgreSQL URL rather than a file.
func IsURL(name string) bool {
	return strings.HasPrefix(name, "postgres://") || strings.HasPrefix(name, "postgresql://")
}

// Advisory lock keys: the first is "audi"; they are per database.
const (
	lockSpace  = 0x61756469
	migrateKey = 1 // one process migrates at a time
	writeKey   = 2 // one Write at a time, so positions commit in order
	syncKey    = 3 // held by the one sync of the store
)

// channel is what a Write's NOTIFY is sent on.
const channel = "auditui_events"

// Store is a store.Store in a PostgreSQL database.
type Store struct {
	pool     *pgxpool.Pool
	loc      string // the URL, its password redacted
	password string // to scrub from the server's messages
	listen   listener
	lock     syncLock
}

var (
	_ store.Store      = (*Store)(nil)
	_ store.SyncLocker = (*Store)(nil)
)

// Options say how to open a store.
type Options struct {
	// Create makes the schema in an empty database; otherwise a database
	// without one is an error wrapping fs.ErrNotExist.
	Create bool
}

// openTimeout bounds connecting and checking the schema.
const openTimeout = 15 * time.Second

// Open opens the store in the database rawURL names. Wrong credentials, an
// unreachable server, a database that holds something else, or a newer
// schema are refused in one sentence that never holds the password.
func Open(rawURL string, o Options) (*Store, error) {
	s := &Store{loc: redact(rawURL)}
	if u, err := url.Parse(rawURL); err == nil {
		s.password, _ = u.User.Password()
	}
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%s is not a PostgreSQL URL auditui can use: %s", s.loc, s.scrub(err))
	}
	// Every statement names the tables unqualified, as in the SQLite store.
	cfg.ConnConfig.RuntimeParams["search_path"] = "auditui"
	cfg.ConnConfig.RuntimeParams["application_name"] = "auditui"
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	defer cancel()
	if s.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, s.fail("open", err)
	}
	s.listen.cfg = cfg.ConnConfig.Copy()
	if err := s.prepare(ctx, o.Create); err != nil {
		s.pool.Close()
		return nil, err
	}
	return s, nil
}

// redact is u with its password replaced, for every message.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "the PostgreSQL URL given"
	}
	q := p.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		p.RawQuery = q.Encode()
	}
	return p.Redacted()
}

// scrub is err's text with the password taken out, should the server or
// driver have repeated it.
func (s *Store) scrub(err error) string {
	msg := err.Error()
	if s.password != "" {
		msg = strings.ReplaceAll(msg, s.password, "xxxxx")
	}
	return msg
}

// Location is the database's URL without its password.
func (s *Store) Location() string { return s.loc }

// Name says where the events come from.
func (s *Store) Name() string { return "store " + s.loc }

// Close closes the store's connections.
func (s *Store) Close() error {
	s.listen.stop()
	s.pool.Close()
	return nil
}

// migrations[i] brings a store from schema i to i+1; schema 0 is a database
// without the auditui schema. Text compares bytewise (COLLATE "C"), as in
// SQLite and the API, so ties on time order by id the same everywhere.
var migrations = []string{
	`CREATE SCHEMA auditui;
	CREATE TABLE auditui.schema_version (version integer NOT NULL);
	INSERT INTO auditui.schema_version VALUES (0);
	CREATE TABLE auditui.meta (key text COLLATE "C" PRIMARY KEY, value text NOT NULL);
	CREATE TABLE auditui.events (
		pos bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- the order events were stored
		id text COLLATE "C" NOT NULL UNIQUE,
		type text COLLATE "C" NOT NULL,
		at bigint NOT NULL,        -- effective_at, Unix nanoseconds
		listing text COLLATE "C" NOT NULL,
		actor_email text COLLATE "C", -- as sent
		project_id text COLLATE "C",
		ip text COLLATE "C",
		raw bytea NOT NULL         -- the record as received
	);
	CREATE INDEX events_at ON auditui.events (at, id);
	CREATE INDEX events_tenant ON auditui.events (at, id) WHERE listing = 'tenant_only';
	CREATE INDEX events_type ON auditui.events (type, at, id);
	CREATE INDEX events_actor_email ON auditui.events (actor_email, at, id) WHERE actor_email IS NOT NULL;
	CREATE INDEX events_project ON auditui.events (project_id, at, id) WHERE project_id IS NOT NULL;
	CREATE TABLE auditui.actor_ids (actor_id text COLLATE "C" NOT NULL, pos bigint NOT NULL, PRIMARY KEY (actor_id, pos));
	CREATE TABLE auditui.resource_ids (resource_id text COLLATE "C" NOT NULL, pos bigint NOT NULL, PRIMARY KEY (resource_id, pos));
	CREATE TABLE auditui.coverage (listing text COLLATE "C" NOT NULL, since bigint NOT NULL, until bigint NOT NULL, PRIMARY KEY (listing, since));
	CREATE TABLE auditui.checkpoints (name text COLLATE "C" PRIMARY KEY, pos bigint NOT NULL);`,
	// Schema 2, as SQLite's: actor_email is the email exactly as sent; this
	// store kept it so from schema 1, so there is nothing to change.
	``,
	// Schema 3, as SQLite's: ip holds model.CanonicalIP, so that ip: terms
	// are answered from an index; rederive[3] re-spells older addresses.
	`CREATE INDEX IF NOT EXISTS events_ip ON auditui.events (ip, at, id) WHERE ip IS NOT NULL;`,
}

// rederive[v] recomputes, in Go, what migrations[v-1] changed the meaning
// of, in a store that had events before it.
var rederive = map[int]func(context.Context, pgx.Tx) error{3: canonicalIPs}

// canonicalIPs rewrites the ip column as model.CanonicalIP spells it (NULL
// for what is not an address); a plain IPv4 address is left alone.
func canonicalIPs(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, "SELECT pos, ip FROM events WHERE ip ~ '[^0-9.]'")
	if err != nil {
		return err
	}
	var pos []int64
	var ips []string
	var p int64
	var ip string
	if _, err := pgx.ForEachRow(rows, []any{&p, &ip}, func() error {
		if c := model.CanonicalIP(ip); c != ip {
			pos, ips = append(pos, p), append(ips, c)
		}
		return nil
	}); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE events e SET ip = NULLIF(f.ip, '') FROM unnest($1::bigint[], $2::text[]) AS f(pos, ip) WHERE e.pos = f.pos`, pos, ips)
	return err
}

// prepare checks the database is ours and brings its schema up to date in
// one transaction; a store that is current is not written to.
func (s *Store) prepare(ctx context.Context, create bool) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return s.fail("open", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", lockSpace, migrateKey); err != nil {
		return s.fail("open", err)
	}
	version, err := s.version(ctx, tx)
	if err != nil {
		return err
	}
	switch {
	case version == len(migrations):
		return nil
	case version > len(migrations):
		return fmt.Errorf("the store in %s was written by a newer auditui (store schema %d; this one knows up to %d), so it was left as it is: use that version or newer: %w",
			s.loc, version, len(migrations), store.ErrNotStore)
	case version < 0 && !create:
		return fmt.Errorf("there is no auditui store in %s (auditui sync makes one): %w", s.loc, fs.ErrNotExist)
	}
	for v := max(version, 0) + 1; v <= len(migrations); v++ {
		if m := migrations[v-1]; m != "" {
			if _, err := tx.Exec(ctx, m); err != nil {
				return s.fail("prepare", err)
			}
		}
		if fix := rederive[v]; fix != nil && version > 0 {
			if err := fix(ctx, tx); err != nil {
				return s.fail("prepare", err)
			}
		}
	}
	if _, err := tx.Exec(ctx, "UPDATE auditui.schema_version SET version = $1", len(migrations)); err != nil {
		return s.fail("prepare", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return s.fail("prepare", err)
	}
	return nil
}

// version is the store's schema version, -1 for an empty database; a
// database holding anything else is refused.
func (s *Store) version(ctx context.Context, tx pgx.Tx) (int, error) {
	var schema, marked, others bool
	err := tx.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'auditui'),
		to_regclass('auditui.schema_version') IS NOT NULL,
		EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname <> 'auditui'
			AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%')`).Scan(&schema, &marked, &others)
	if err != nil {
		return 0, s.fail("open", err)
	}
	switch {
	case schema && !marked:
		return 0, fmt.Errorf("%s has a schema named auditui that is not an auditui store; it was left as it is: %w", s.loc, store.ErrNotStore)
	case !schema && others:
		return 0, fmt.Errorf("%s holds other tables and no auditui store, so it was left as it is: give auditui a database of its own: %w", s.loc, store.ErrNotStore)
	case !schema:
		return -1, nil
	}
	var version int
	if err := tx.QueryRow(ctx, "SELECT version FROM auditui.schema_version").Scan(&version); err != nil {
		return 0, s.fail("open", err)
	}
	return version, nil
}

// Meta reads what the store records about itself.
func (s *Store) Meta(ctx context.Context) (store.Meta, error) {
	m := store.Meta{Schema: len(migrations)}
	err := s.retry(ctx, "read", func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, "SELECT key, value FROM meta")
		if err != nil {
			return err
		}
		var k, v string
		_, err = pgx.ForEachRow(rows, []any{&k, &v}, func() error {
			m.SetRow(k, v)
			return nil
		})
		return err
	})
	return m, err
}

// SetMeta records m (Schema aside).
func (s *Store) SetMeta(ctx context.Context, m store.Meta) error {
	return s.write(ctx, func(tx pgx.Tx) error {
		for k, v := range m.Rows() {
			if _, err := tx.Exec(ctx, "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// write runs f in one writing transaction, after the Writes before it,
// again from the start if the connection was lost (a write is idempotent).
func (s *Store) write(ctx context.Context, f func(pgx.Tx) error) error {
	return s.retry(ctx, "write to", func(ctx context.Context) error {
		// A sync whose lock was lost with its connection takes it again
		// first; once is enough, as nothing else can let it go.
		for range 2 {
			err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", lockSpace, writeKey); err != nil {
					return err
				}
				if err := s.lockHeld(ctx, tx); err != nil {
					return err
				}
				return f(tx)
			})
			var lost lockLost
			if !errors.As(err, &lost) {
				return err
			}
			if err := s.retakeLock(ctx, lost); err != nil {
				return err
			}
		}
		return said{s.lockTaken()}
	})
}

// insertEvents stores a batch in one statement: the events not stored yet,
// then their actor and resource ids; it returns how many were new and the
// last position given.
const insertEvents = `WITH batch AS (
	SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bytea[])
		WITH ORDINALITY AS b(id, type, at, actor_email, project_id, ip, raw, n)
), new AS (
	INSERT INTO events (id, type, at, listing, actor_email, project_id, ip, raw)
	SELECT id, type, at, $8, NULLIF(actor_email, ''), NULLIF(project_id, ''), NULLIF(ip, ''), raw FROM batch ORDER BY n
	ON CONFLICT (id) DO NOTHING RETURNING pos, id
), actors AS (
	INSERT INTO actor_ids (actor_id, pos)
	SELECT a.actor_id, new.pos FROM unnest($9::text[], $10::text[]) AS a(event_id, actor_id) JOIN new ON new.id = a.event_id
	ON CONFLICT DO NOTHING
), resources AS (
	INSERT INTO resource_ids (resource_id, pos)
	SELECT r.resource_id, new.pos FROM unnest($11::text[], $12::text[]) AS r(event_id, resource_id) JOIN new ON new.id = r.event_id
	ON CONFLICT DO NOTHING
)
SELECT count(*), coalesce(max(pos), 0) FROM new`

// Write stores events and the range they complete in one transaction, and
// tells followers when any were new.
func (s *Store) Write(ctx context.Context, l store.Listing, events []model.Event, complete store.Range) (int, error) {
	cols, err := columns(events)
	if err != nil {
		return 0, err
	}
	var added, last int64
	err = s.write(ctx, func(tx pgx.Tx) error {
		added = 0
		if len(events) > 0 {
			if err := tx.QueryRow(ctx, insertEvents, cols.ids, cols.types, cols.ats, cols.emails, cols.projects, cols.ips, cols.raws,
				string(l), cols.actorOf, cols.actors, cols.resourceOf, cols.resources).Scan(&added, &last); err != nil {
				return err
			}
		}
		if !complete.IsEmpty() {
			if _, err := tx.Exec(ctx, `WITH old AS (
				DELETE FROM coverage WHERE listing = $1 AND until >= $2 AND since <= $3 RETURNING since, until)
				INSERT INTO coverage (listing, since, until) SELECT $1, least($2, min(since)), greatest($3, max(until)) FROM old`,
				string(l), complete.Since.UnixNano(), complete.Until.UnixNano()); err != nil {
				return err
			}
		}
		if added > 0 {
			// Delivered when the transaction commits, to every listener.
			if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", channel, strconv.FormatInt(last, 10)); err != nil {
				return err
			}
		}
		return nil
	})
	return int(added), err
}

// batchColumns is a batch of events as one array per column.
type batchColumns struct {
	ids, types, emails, projects, ips []string
	ats                               []int64
	raws                              [][]byte
	actorOf, actors                   []string // event id, actor id
	resourceOf, resources             []string // event id, resource id
}

func columns(events []model.Event) (batchColumns, error) {
	n := len(events)
	c := batchColumns{ids: make([]string, n), types: make([]string, n), emails: make([]string, n),
		projects: make([]string, n), ips: make([]string, n), ats: make([]int64, n), raws: make([][]byte, n)}
	seen := make(map[string]bool, n)
	for i := range events {
		e := &events[i]
		raw, err := e.JSON()
		if err != nil {
			return batchColumns{}, err
		}
		c.ids[i], c.types[i], c.ats[i], c.raws[i] = e.ID, e.Type, e.EffectiveAt.UnixNano(), raw
		c.emails[i], c.projects[i], c.ips[i] = e.Actor.Email(), e.Project.ID, model.CanonicalIP(e.Actor.IP())
		if seen[e.ID] {
			continue // a batch repeating an id indexes its first copy
		}
		seen[e.ID] = true
		for _, id := range e.Actor.IDs() {
			c.actorOf, c.actors = append(c.actorOf, e.ID), append(c.actors, id)
		}
		for _, id := range e.ResourceIDs() {
			c.resourceOf, c.resources = append(c.resourceOf, e.ID), append(c.resources, id)
		}
	}
	return c, nil
}

// Coverage is l's complete ranges, oldest first.
func (s *Store) Coverage(ctx context.Context, l store.Listing) ([]store.Range, error) {
	var out []store.Range
	err := s.retry(ctx, "read", func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, "SELECT since, until FROM coverage WHERE listing = $1 ORDER BY since", string(l))
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Range, error) {
			var a, b int64
			err := r.Scan(&a, &b)
			return store.Range{Since: time.Unix(0, a).UTC(), Until: time.Unix(0, b).UTC()}, err
		})
		return err
	})
	return store.Merge(out), err
}

// Count is how many events are stored.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.retry(ctx, "read", func(ctx context.Context) error {
		return s.pool.QueryRow(ctx, "SELECT count(*) FROM events").Scan(&n)
	})
	return n, err
}

// Checkpoint is the position stored under name, 0 when there is none.
func (s *Store) Checkpoint(ctx context.Context, name string) (int64, error) {
	var pos int64
	err := s.retry(ctx, "read", func(ctx context.Context) error {
		err := s.pool.QueryRow(ctx, "SELECT pos FROM checkpoints WHERE name = $1", name).Scan(&pos)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	return pos, err
}

// SetCheckpoint records pos under name.
func (s *Store) SetCheckpoint(ctx context.Context, name string, pos int64) error {
	return s.retry(ctx, "write to", func(ctx context.Context) error {
		_, err := s.pool.Exec(ctx, "INSERT INTO checkpoints (name, pos) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET pos = excluded.pos", name, pos)
		return err
	})
}

// Size is the bytes the store's tables and indexes take in the database.
func (s *Store) Size() (int64, error) {
	var n int64
	err := s.retry(context.Background(), "read", func(ctx context.Context) error {
		return s.pool.QueryRow(ctx, `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'auditui' AND c.relkind = 'r'`).Scan(&n)
	})
	return n, err
}
