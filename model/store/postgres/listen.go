package postgres

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/auditui/auditui/model/store"
)

// listener keeps one connection LISTENing on the store's channel while
// anyone waits, reconnecting when it is lost; each notification, and each
// reconnection (after which anything written meanwhile must be looked
// for), closes the current generation's channel.
type listener struct {
	cfg     *pgx.ConnConfig
	mu      sync.Mutex
	changed chan struct{} // closed at the next notification; nil until started
	cancel  context.CancelFunc
	done    chan struct{}
}

// watch starts the listener on first use and returns the channel closed at
// the next change.
func (l *listener) watch() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.changed == nil {
		l.changed = make(chan struct{})
		ctx, cancel := context.WithCancel(context.Background())
		l.cancel, l.done = cancel, make(chan struct{})
		go l.run(ctx)
	}
	return l.changed
}

func (l *listener) bump() {
	l.mu.Lock()
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
}

// run listens until ctx ends, reconnecting after a pause when the
// connection is lost.
func (l *listener) run(ctx context.Context) {
	defer close(l.done)
	pause := 50 * time.Millisecond
	for ctx.Err() == nil {
		if conn, err := pgx.ConnectConfig(ctx, l.cfg); err == nil {
			if _, err := conn.Exec(ctx, "LISTEN "+channel); err == nil {
				pause = 50 * time.Millisecond
				l.bump()
				for {
					if _, err := conn.WaitForNotification(ctx); err != nil {
						break
					}
					l.bump()
				}
			}
			conn.Close(context.Background())
		}
		select {
		case <-ctx.Done():
		case <-time.After(pause):
		}
		pause = min(2*pause, 2*time.Second)
	}
}

func (l *listener) stop() {
	l.mu.Lock()
	cancel, done := l.cancel, l.done
	l.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Wait returns once events are stored after position after: a Write
// NOTIFYs on commit, so a follower wakes at once without polling; while
// the server is away it waits for the listener to reconnect, for at most
// as long as any operation retries.
func (s *Store) Wait(ctx context.Context, after int64) error {
	return store.WaitAfter(ctx, after, s.Last, s.listen.watch)
}

// Last is the position of the newest stored event, 0 when there is none.
func (s *Store) Last(ctx context.Context) (int64, error) {
	var last int64
	err := s.retry(ctx, "read", func(ctx context.Context) error {
		return s.pool.QueryRow(ctx, "SELECT coalesce(max(pos), 0) FROM events").Scan(&last)
	})
	return last, err
}

// LockSync makes this process the store's one sync, until release: a
// second sync on the same database is refused in one sentence rather than
// writing beside it. The lock is a session's advisory lock, held on a
// connection of its own; should that connection be lost (the server
// restarted), the next write takes the lock again, or stops in one sentence
// if another sync took it meanwhile.
func (s *Store) LockSync(ctx context.Context) (release func(), err error) {
	s.lock.mu.Lock()
	defer s.lock.mu.Unlock()
	got, err := s.takeLock(ctx)
	switch {
	case err != nil:
		return nil, s.fail("lock", err)
	case !got:
		return nil, fmt.Errorf("another auditui sync is writing to %s; only one may at a time, so this one stops", s.loc)
	}
	s.lock.active = true
	return s.unlock, nil
}

// syncLock is the connection holding the sync lock while LockSync's
// release is not called.
type syncLock struct {
	mu     sync.Mutex
	active bool      // between LockSync and its release
	conn   *pgx.Conn // nil once found lost
	pid    uint32    // the server process of conn
	since  time.Time // when the server started: a process id is the same one only until a restart
}

// takeLock tries the sync lock on a new connection; s.lock.mu is held.
func (s *Store) takeLock(ctx context.Context) (got bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, s.listen.cfg)
	if err != nil {
		return false, err
	}
	var since time.Time
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1, $2), pg_postmaster_start_time()", lockSpace, syncKey).Scan(&got, &since); err != nil || !got {
		conn.Close(context.Background())
		return false, err
	}
	s.lock.conn, s.lock.pid, s.lock.since = conn, conn.PgConn().PID(), since
	return true, nil
}

func (s *Store) unlock() {
	s.lock.mu.Lock()
	defer s.lock.mu.Unlock()
	s.lock.active = false
	if s.lock.conn == nil {
		return
	}
	// Unlocked at once, not when the server notices the connection end.
	s.lock.conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1, $2)", lockSpace, syncKey)
	s.lock.conn.Close(context.Background())
	s.lock.conn, s.lock.pid = nil, 0
}

// holdsSyncLock asks whether a server process holds the sync lock.
const holdsSyncLock = `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
	AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 2 AND granted AND pid = $3)
	AND pg_postmaster_start_time() = $4`

// lockLost is the sync lock found gone inside a writing transaction,
// held by the server process pid until then (0: its connection was closed).
type lockLost struct{ pid uint32 }

func (lockLost) Error() string { return "the sync lock's connection was lost" }

// lockHeld checks, in a writing transaction (after the write lock, so no
// other write is between), that a store holding the sync lock still does.
func (s *Store) lockHeld(ctx context.Context, tx pgx.Tx) error {
	s.lock.mu.Lock()
	active, conn, pid, since := s.lock.active, s.lock.conn, s.lock.pid, s.lock.since
	s.lock.mu.Unlock()
	switch {
	case !active:
		return nil
	case conn == nil:
		return lockLost{}
	}
	var held bool
	if err := tx.QueryRow(ctx, holdsSyncLock, lockSpace, syncKey, int64(pid), since).Scan(&held); err != nil {
		return err
	}
	if !held {
		return lockLost{pid}
	}
	return nil
}

// retakeLock takes the sync lock again after lost found it gone: at once
// when no other sync took it meanwhile, else a sentence saying this sync
// stops; while the server is away the error is the connection's, so the
// write is tried again.
func (s *Store) retakeLock(ctx context.Context, lost lockLost) error {
	s.lock.mu.Lock()
	defer s.lock.mu.Unlock()
	if !s.lock.active || (s.lock.conn != nil && s.lock.pid != lost.pid) {
		return nil // released, or taken again by another of this store's writes
	}
	if s.lock.conn != nil {
		s.lock.conn.Close(context.Background())
		s.lock.conn, s.lock.pid = nil, 0
	}
	got, err := s.takeLock(ctx)
	switch {
	case err != nil:
		return err
	case !got:
		return said{s.lockTaken()}
	}
	return nil
}

func (s *Store) lockTaken() error { return syncTaken{s.loc} }

// syncTaken is the sentence for a sync whose lock another took; it is
// store.ErrSyncTaken.
type syncTaken struct{ loc string }

func (e syncTaken) Error() string {
	return "another auditui sync took the lock on " + e.loc + " while this one was cut off from the database, so this one stops rather than write beside it"
}

func (syncTaken) Is(target error) bool { return target == store.ErrSyncTaken }
