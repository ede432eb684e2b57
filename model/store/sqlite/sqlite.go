// Package sqlite is the store in one SQLite file per organisation, through a
// pure-Go driver: each event's raw JSON byte for byte, indexed columns for
// the filters the API has, a versioned schema, WAL so that readers never
// wait for the writer.
package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/store"
)

// applicationID marks a SQLite file as an auditui store ("audi").
const applicationID = 0x61756469

// busyTimeout is how long a write waits for another process's write.
const busyTimeout = 30 * time.Second

// Store is a store.Store in a SQLite file.
type Store struct {
	path string
	db   *sql.DB
	mu   sync.Mutex // one writer in this process; BEGIN IMMEDIATE orders processes

	qmu   sync.Mutex
	queue []*pending // Writes waiting for the next commit
}

var _ store.Store = (*Store)(nil)

// Options say how to open a store.
type Options struct {
	// Create makes the file (and its directory, 0700) when it does not
	// exist; otherwise a missing file is an error wrapping fs.ErrNotExist.
	Create bool
}

// Open opens the store at path. A file that is not an auditui store, or one
// written by a newer auditui, is refused with a sentence and left as it is.
func Open(path string, o Options) (*Store, error) {
	created, err := prepare(path, o.Create)
	if err != nil {
		return nil, err
	}
	if !created {
		if err := check(path); err != nil {
			return nil, err
		}
	}
	if created {
		if err := setPageSize(path); err != nil {
			return nil, err
		}
	}
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("cannot open the store %s: %w", path, err)
	}
	s := &Store{path: path, db: db}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// prepare makes the directory and an empty file with private permissions
// when asked to; it reports whether the file was empty (new).
func prepare(path string, create bool) (bool, error) {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return false, fmt.Errorf("the store %s is a directory, not a file", path)
	case err == nil:
		return fi.Size() == 0 && create, nil
	case !errors.Is(err, fs.ErrNotExist):
		return false, fmt.Errorf("cannot open the store %s: %w", path, errors.Unwrap(err))
	case !create:
		return false, fmt.Errorf("there is no store at %s (auditui sync makes one): %w", path, fs.ErrNotExist)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, fmt.Errorf("cannot make the store's directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		// Another process made it first: theirs to fill, ours to check.
		return prepare(path, create)
	}
	if err != nil {
		return false, fmt.Errorf("cannot make the store %s: %w", path, errors.Unwrap(err))
	}
	return true, f.Close()
}

// pageSize is larger than SQLite's 4 KiB: a sync's transaction dirties
// pages all over the indexes, and writing each costs a system call.
const pageSize = 8192

// setPageSize gives a new, empty file its page size, which WAL mode then
// fixes for good.
func setPageSize(path string) error {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=page_size("+strconv.Itoa(pageSize)+")")
	if err != nil {
		return fmt.Errorf("cannot make the store %s: %w", path, err)
	}
	defer db.Close()
	if _, err := db.Exec("PRAGMA journal_mode = WAL"); err != nil {
		return fmt.Errorf("cannot make the store %s: %s", path, describe(err))
	}
	return nil
}

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// check refuses a file that is not ours without changing it or making
// anything beside it: the header says whose it is and its schema, unless a
// write-ahead log holds newer pages, which SQLite then reads.
func check(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot open the store %s: %w", path, errors.Unwrap(err))
	}
	head := make([]byte, 100)
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head[:len(sqliteHeader)], sqliteHeader) {
		return fmt.Errorf("%s is not a SQLite database, so not an auditui store; it was left as it is: %w", path, store.ErrNotStore)
	}
	version, app := int(binary.BigEndian.Uint32(head[60:])), int(binary.BigEndian.Uint32(head[68:]))
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		if version, app, err = readIdentity(path); err != nil {
			return err
		}
	}
	switch {
	case app != applicationID:
		return fmt.Errorf("%s is a SQLite database but not an auditui store; it was left as it is: %w", path, store.ErrNotStore)
	case version > len(migrations):
		return newerSchema(path, version)
	}
	return nil
}

func newerSchema(path string, version int) error {
	return fmt.Errorf("%s was written by a newer auditui (store schema %d; this one knows up to %d), so it was left as it is: use that version or newer: %w",
		path, version, len(migrations), store.ErrNotStore)
}

// readIdentity asks SQLite, read-only, for the schema version and
// application id.
func readIdentity(path string) (version, app int, err error) {
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return 0, 0, fmt.Errorf("cannot open the store %s: %w", path, err)
	}
	defer db.Close()
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return 0, 0, fmt.Errorf("cannot read the store %s: %s", path, describe(err))
	}
	if err := db.QueryRow("PRAGMA application_id").Scan(&app); err != nil {
		return 0, 0, fmt.Errorf("cannot read the store %s: %s", path, describe(err))
	}
	return version, app, nil
}

// dsn is the driver's name for path: every connection waits for a busy
// writer and begins writing transactions at once, so two writers queue
// rather than fail halfway.
func dsn(path string, readOnly bool) string {
	v := url.Values{}
	v.Add("_pragma", "busy_timeout("+strconv.Itoa(int(busyTimeout/time.Millisecond))+")")
	if readOnly {
		v.Set("mode", "ro")
	} else {
		v.Add("_pragma", "journal_mode(WAL)")
		v.Add("_pragma", "synchronous(NORMAL)")
		// A larger cache and log: a sync rewrites the same index pages
		// page after page, and each checkpoint copies them again.
		v.Add("_pragma", "cache_size(-65536)")
		v.Add("_pragma", "wal_autocheckpoint(8192)")
		v.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + v.Encode()
}

// migrations[i] brings a store from schema i to i+1; schema 0 is an empty file.
var migrations = []string{
	`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
	CREATE TABLE events (
		pos INTEGER PRIMARY KEY,  -- the order events were stored
		id TEXT NOT NULL UNIQUE,
		type TEXT NOT NULL,
		at INTEGER NOT NULL,      -- effective_at, Unix nanoseconds
		listing TEXT NOT NULL,
		actor_email TEXT,         -- as sent (lower-cased in schema 1)
		project_id TEXT,
		ip TEXT,
		raw BLOB NOT NULL         -- the record as received
	);
	CREATE INDEX events_at ON events (at, id);
	CREATE INDEX events_tenant ON events (at, id) WHERE listing = 'tenant_only';
	CREATE INDEX events_type ON events (type, at, id);
	CREATE INDEX events_actor_email ON events (actor_email, at, id) WHERE actor_email IS NOT NULL;
	CREATE INDEX events_project ON events (project_id, at, id) WHERE project_id IS NOT NULL;
	CREATE TABLE actor_ids (actor_id TEXT NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (actor_id, pos)) WITHOUT ROWID;
	CREATE TABLE resource_ids (resource_id TEXT NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (resource_id, pos)) WITHOUT ROWID;
	CREATE TABLE coverage (listing TEXT NOT NULL, since INTEGER NOT NULL, until INTEGER NOT NULL, PRIMARY KEY (listing, since)) WITHOUT ROWID;
	CREATE TABLE checkpoints (name TEXT PRIMARY KEY, pos INTEGER NOT NULL) WITHOUT ROWID;`,
	// Schema 2: actor_email is the email exactly as sent, compared exactly as
	// model.Filter does; rederive[2] refills it from raw.
	`UPDATE events SET actor_email = NULL;`,
	// Schema 3: ip holds model.CanonicalIP, so that ip: terms are answered
	// from an index; rederive[3] rewrites the addresses spelt otherwise.
	`CREATE INDEX IF NOT EXISTS events_ip ON events (ip, at, id) WHERE ip IS NOT NULL;`,
}

// rederive[v] recomputes, in Go, columns that migrations[v-1] cleared.
var rederive = map[int]func(tx *sql.Tx) error{2: rederiveEmails, 3: canonicalIPs}

// canonicalIPs rewrites the ip column as model.CanonicalIP spells it; an
// address already so spelt (every plain IPv4 one) is left alone.
func canonicalIPs(tx *sql.Tx) error {
	return rewrite(tx, "SELECT pos, ip FROM events WHERE ip IS NOT NULL AND ip GLOB '*[^0-9.]*'",
		"UPDATE events SET ip = ? WHERE pos = ?", func(ip []byte) (any, bool) {
			c := model.CanonicalIP(string(ip))
			return nullable(c), c != string(ip)
		})
}

// rederiveEmails sets actor_email from each stored record.
func rederiveEmails(tx *sql.Tx) error {
	return rewrite(tx, "SELECT pos, raw FROM events",
		"UPDATE events SET actor_email = ? WHERE pos = ?", func(raw []byte) (any, bool) {
			e, err := model.DecodeEvent(raw)
			if err != nil || e.Actor.Email() == "" {
				return nil, false
			}
			return e.Actor.Email(), true
		})
}

// rewrite runs update with derive's value and the row's pos for each row
// (pos, a column) that selected gives and derive changes. Every row is read
// before the first is written.
func rewrite(tx *sql.Tx, selected, update string, derive func(col []byte) (any, bool)) error {
	rows, err := tx.Query(selected)
	if err != nil {
		return err
	}
	type fix struct {
		pos int64
		v   any
	}
	var fixes []fix
	for rows.Next() {
		var pos int64
		var col []byte
		if err := rows.Scan(&pos, &col); err != nil {
			rows.Close()
			return err
		}
		if v, ok := derive(col); ok {
			fixes = append(fixes, fix{pos, v})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range fixes {
		if _, err := tx.Exec(update, f.v, f.pos); err != nil {
			return err
		}
	}
	return nil
}

// migrate brings the schema up to date in one transaction; a store that is
// current is not written to.
func (s *Store) migrate() error {
	var version int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return s.fail("read", err)
	}
	if version == len(migrations) {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.Begin()
	if err != nil {
		return s.fail("prepare", err)
	}
	defer tx.Rollback()
	// Another process may have migrated while this one waited for the lock.
	var app int
	if err := tx.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return s.fail("read", err)
	}
	if err := tx.QueryRow("PRAGMA application_id").Scan(&app); err != nil {
		return s.fail("read", err)
	}
	switch {
	case version == len(migrations):
		return nil
	case version > len(migrations):
		return newerSchema(s.path, version)
	case version > 0 && app != applicationID:
		return fmt.Errorf("%s is a SQLite database but not an auditui store; it was left as it is: %w", s.path, store.ErrNotStore)
	}
	for i, m := range migrations[version:] {
		if _, err := tx.Exec(m); err != nil {
			return s.fail("prepare", err)
		}
		if fix := rederive[version+i+1]; fix != nil && version > 0 {
			if err := fix(tx); err != nil {
				return s.fail("prepare", err)
			}
		}
	}
	if _, err := tx.Exec(fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d", applicationID, len(migrations))); err != nil {
		return s.fail("prepare", err)
	}
	if err := tx.Commit(); err != nil {
		return s.fail("prepare", err)
	}
	return nil
}

// Location is the file's path.
func (s *Store) Location() string { return s.path }

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// fail turns a driver error into a sentence that says what was being done,
// where, and that what was stored before is intact.
func (s *Store) fail(doing string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return store.Failure{Msg: fmt.Sprintf("cannot %s the store %s: %s; what it held before is intact", doing, s.path, describe(err)), Err: err}
}

// describe says in words what the driver's error code means.
func describe(err error) string {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err.Error()
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_FULL:
		return "the disk is full"
	case sqlite3.SQLITE_READONLY:
		return "it is read-only here (check the permissions of the file and its directory)"
	case sqlite3.SQLITE_CANTOPEN:
		return "the file or its directory cannot be opened (check their permissions)"
	case sqlite3.SQLITE_PERM:
		return "permission denied"
	case sqlite3.SQLITE_IOERR:
		return "the disk refused a read or write (is it full or gone?)"
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return "the file is damaged or not a database"
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return "another process held it for longer than " + busyTimeout.String()
	}
	return strings.TrimSpace(se.Error())
}

// Meta reads what the store records about itself.
func (s *Store) Meta(ctx context.Context) (store.Meta, error) {
	m := store.Meta{Schema: len(migrations)}
	rows, err := s.db.QueryContext(ctx, "SELECT key, value FROM meta")
	if err != nil {
		return m, s.fail("read", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return m, s.fail("read", err)
		}
		m.SetRow(k, v)
	}
	if err := rows.Err(); err != nil {
		return m, s.fail("read", err)
	}
	return m, nil
}

// SetMeta records m (Schema aside).
func (s *Store) SetMeta(ctx context.Context, m store.Meta) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		for k, v := range m.Rows() {
			if _, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// write runs f in one writing transaction.
func (s *Store) write(ctx context.Context, f func(*sql.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writeLocked(ctx, f)
}

// writeLocked is write with s.mu held.
func (s *Store) writeLocked(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.fail("write to", err)
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return s.fail("write to", err)
	}
	if err := tx.Commit(); err != nil {
		return s.fail("write to", err)
	}
	return nil
}

// Write stores events and the range they complete in one transaction.
// Writes that arrive while another is committing wait and then go in one
// transaction together (a sync's workers each bring a page): a commit costs
// more than the rows it carries.
func (s *Store) Write(ctx context.Context, l store.Listing, events []model.Event, complete store.Range) (int, error) {
	w := &pending{ctx: ctx, l: l, events: events, complete: complete}
	for {
		s.qmu.Lock()
		s.queue = append(s.queue, w)
		s.qmu.Unlock()
		s.mu.Lock()
		if !w.done {
			s.commit()
		}
		s.mu.Unlock()
		// A group that failed because another Write in it was given up is tried again.
		if !w.retry || ctx.Err() != nil {
			return w.added, w.err
		}
		w.retry, w.done = false, false
	}
}

// pending is one Write waiting for its group's commit.
type pending struct {
	ctx      context.Context // a Write given up before its commit is left out
	l        store.Listing
	events   []model.Event
	complete store.Range
	added    int
	err      error
	done     bool // set under s.mu
	retry    bool // the group failed with another Write's context
}

// commit writes every queued Write in one transaction, within the context
// of the first still wanted; s.mu is held.
func (s *Store) commit() {
	s.qmu.Lock()
	var group []*pending
	for _, w := range s.queue {
		if w.err = w.ctx.Err(); w.err != nil {
			w.done, w.added = true, 0
			continue
		}
		group = append(group, w)
	}
	s.queue = nil
	s.qmu.Unlock()
	if len(group) == 0 {
		return
	}
	ctx := group[0].ctx
	err := s.writeLocked(ctx, func(tx *sql.Tx) error {
		for _, w := range group {
			w.added = 0
			for lo := 0; lo < len(w.events); lo += writeChunk {
				n, err := insert(ctx, tx, w.l, w.events[lo:min(lo+writeChunk, len(w.events))])
				if err != nil {
					return err
				}
				w.added += n
			}
			if err := cover(ctx, tx, w.l, w.complete); err != nil {
				return err
			}
		}
		return nil
	})
	for _, w := range group {
		w.done, w.err = true, err
		if err != nil {
			w.added = 0
			w.retry = ctx.Err() != nil
		}
	}
}

// writeChunk is how many events one INSERT statement carries: a statement
// per row costs more than the row.
const writeChunk = 200

// insert stores events not stored yet, with their actor and resource ids,
// in three statements; it returns how many were new.
func insert(ctx context.Context, tx *sql.Tx, l store.Listing, events []model.Event) (int, error) {
	if len(events) == 0 {
		return 0, nil
	}
	var q strings.Builder
	q.WriteString("INSERT INTO events (id, type, at, listing, actor_email, project_id, ip, raw) VALUES ")
	args := make([]any, 0, 8*len(events))
	for i := range events {
		e := &events[i]
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
		raw, err := e.JSON()
		if err != nil {
			return 0, err
		}
		args = append(args, e.ID, e.Type, e.EffectiveAt.UnixNano(), string(l),
			nullable(e.Actor.Email()), nullable(e.Project.ID), nullable(model.CanonicalIP(e.Actor.IP())), []byte(raw))
	}
	q.WriteString(" ON CONFLICT (id) DO NOTHING RETURNING pos, id")
	rows, err := tx.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return 0, err
	}
	stored := make(map[string]int64, len(events))
	for rows.Next() {
		var pos int64
		var id string
		if err := rows.Scan(&pos, &id); err != nil {
			rows.Close()
			return 0, err
		}
		stored[id] = pos
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	added := len(stored)
	var actors, resources []any
	for i := range events {
		pos, ok := stored[events[i].ID]
		if !ok {
			continue
		}
		delete(stored, events[i].ID) // a batch repeating an id indexes it once
		for _, id := range events[i].Actor.IDs() {
			actors = append(actors, id, pos)
		}
		for _, id := range events[i].ResourceIDs() {
			resources = append(resources, id, pos)
		}
	}
	if err := pairs(ctx, tx, "actor_ids (actor_id, pos)", actors); err != nil {
		return 0, err
	}
	if err := pairs(ctx, tx, "resource_ids (resource_id, pos)", resources); err != nil {
		return 0, err
	}
	return added, nil
}

// pairs inserts (id, pos) pairs into table, many to a statement.
func pairs(ctx context.Context, tx *sql.Tx, table string, args []any) error {
	const perStatement = 2 * 400
	for lo := 0; lo < len(args); lo += perStatement {
		chunk := args[lo:min(lo+perStatement, len(args))]
		q := "INSERT OR IGNORE INTO " + table + " VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?), ", len(chunk)/2), ", ")
		if _, err := tx.ExecContext(ctx, q, chunk...); err != nil {
			return err
		}
	}
	return nil
}

// cover adds r to l's coverage, merged with the ranges it overlaps or touches.
func cover(ctx context.Context, tx *sql.Tx, l store.Listing, r store.Range) error {
	if r.IsEmpty() {
		return nil
	}
	lo, hi := r.Since.UnixNano(), r.Until.UnixNano()
	rows, err := tx.QueryContext(ctx, "SELECT since, until FROM coverage WHERE listing = ? AND until >= ? AND since <= ?", string(l), lo, hi)
	if err != nil {
		return err
	}
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			rows.Close()
			return err
		}
		lo, hi = min(lo, a), max(hi, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM coverage WHERE listing = ? AND since >= ? AND since <= ?", string(l), lo, hi); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO coverage (listing, since, until) VALUES (?, ?, ?)", string(l), lo, hi)
	return err
}

// Coverage is l's complete ranges, oldest first.
func (s *Store) Coverage(ctx context.Context, l store.Listing) ([]store.Range, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT since, until FROM coverage WHERE listing = ? ORDER BY since", string(l))
	if err != nil {
		return nil, s.fail("read", err)
	}
	defer rows.Close()
	var out []store.Range
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return nil, s.fail("read", err)
		}
		out = append(out, store.Range{Since: time.Unix(0, a).UTC(), Until: time.Unix(0, b).UTC()})
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("read", err)
	}
	return store.Merge(out), nil
}

// Newest is l's newest stored event.
func (s *Store) Newest(ctx context.Context, l store.Listing) (model.Event, bool, error) {
	var raw []byte
	err := s.db.QueryRowContext(ctx, "SELECT raw FROM events WHERE listing = ? ORDER BY at DESC, id DESC LIMIT 1", string(l)).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return model.Event{}, false, nil
	}
	if err != nil {
		return model.Event{}, false, s.fail("read", err)
	}
	e, err := store.Decode(s.path, raw)
	return e, err == nil, err
}

// Count is how many events are stored.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM events").Scan(&n); err != nil {
		return 0, s.fail("read", err)
	}
	return n, nil
}

// Checkpoint is the position stored under name, 0 when there is none.
func (s *Store) Checkpoint(ctx context.Context, name string) (int64, error) {
	var pos int64
	err := s.db.QueryRowContext(ctx, "SELECT pos FROM checkpoints WHERE name = ?", name).Scan(&pos)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, s.fail("read", err)
	}
	return pos, nil
}

// SetCheckpoint records pos under name.
func (s *Store) SetCheckpoint(ctx context.Context, name string, pos int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO checkpoints (name, pos) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET pos = excluded.pos", name, pos)
		return err
	})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Size is the bytes the store takes on disk: the file and its write-ahead log.
func (s *Store) Size() (int64, error) {
	var total int64
	for _, p := range []string{s.path, s.path + "-wal"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) && p != s.path {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("cannot read the size of the store %s: %w", s.path, errors.Unwrap(err))
		}
		total += fi.Size()
	}
	return total, nil
}
