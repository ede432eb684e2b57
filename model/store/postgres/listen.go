package postgres

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
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
	for {
		changed := s.listen.watch()
		var last int64
		err := s.retry(ctx, "read", func(ctx context.Context) error {
			return s.pool.QueryRow(ctx, "SELECT coalesce(max(pos), 0) FROM events").Scan(&last)
		})
		if err != nil {
			return err
		}
		if last > after {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// LockSync makes this process the store's one sync, until release: a
// second sync on the same database is refused in one sentence rather than
// writing beside it. The lock is a session's advisory lock, held on a
// connection of its own.
func (s *Store) LockSync(ctx context.Context) (release func(), err error) {
	conn, err := pgx.ConnectConfig(ctx, s.listen.cfg)
	if err != nil {
		return nil, s.fail("lock", err)
	}
	var got bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1, $2)", lockSpace, syncKey).Scan(&got); err != nil {
		conn.Close(context.Background())
		return nil, s.fail("lock", err)
	}
	if !got {
		conn.Close(context.Background())
		return nil, fmt.Errorf("another auditui sync is writing to %s; only one may at a time, so this one stops", s.loc)
	}
	return func() {
		// Unlocked at once, not when the server notices the connection end.
		conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1, $2)", lockSpace, syncKey)
		conn.Close(context.Background())
	}, nil
}
