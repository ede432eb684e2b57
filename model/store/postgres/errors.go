package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/model/store"
)

// fail turns a driver error into one sentence that says what was being
// done, where, and that what was stored before is intact.
func (s *Store) fail(doing string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) && !pgconn.Timeout(err) {
		return err
	}
	return store.Failure{Msg: fmt.Sprintf("cannot %s the store %s: %s; what it held before is intact", doing, s.loc, s.describe(err)), Err: err}
}

// describe says in words what went wrong, from the server's error code
// where there is one; the server's own words pass through the sanitiser.
func (s *Store) describe(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "28P01" || pe.Code == "28000":
			return "the server refused the user name or password"
		case pe.Code == "3D000":
			return "the database does not exist"
		case pe.Code == "42501" || pe.Code == "25006":
			return "this role may not do that (" + sanitize.OneLine(s.scrubText(pe.Message)) + "); see the README's roles for the writer and the reader"
		case pe.Code == "53300":
			return "the server has too many connections"
		case pe.Code == "53100":
			return "the server's disk is full"
		case strings.HasPrefix(pe.Code, "57P") || strings.HasPrefix(pe.Code, "08"):
			return "the server went away (" + sanitize.OneLine(s.scrubText(pe.Message)) + ")"
		}
		return sanitize.OneLine(s.scrubText(pe.Message))
	}
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &dns):
		return "the server " + sanitize.OneLine(dns.Name) + " is not known (check the host in the URL)"
	case pgconn.Timeout(err):
		return "the server did not answer in time (is the host right, and reachable from here?)"
	case errors.As(err, &op):
		return "the server cannot be reached at " + sanitize.OneLine(fmt.Sprint(op.Addr)) + " (" + sanitize.OneLine(op.Err.Error()) + ")"
	}
	return sanitize.OneLine(s.scrub(err))
}

func (s *Store) scrubText(msg string) string {
	if s.password != "" {
		msg = strings.ReplaceAll(msg, s.password, "xxxxx")
	}
	return msg
}

// transient reports whether err is the connection failing rather than the
// statement: the server restarting, or the network between.
func transient(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	return errors.As(err, &ne) || errors.As(err, &ce) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "conn closed")
}

// outage is how long an operation keeps trying while the server is away:
// long enough for a restart, short enough that a server gone for good is
// said.
const outage = 2 * time.Minute

// retry runs f, and again while the connection fails and for at most
// outage, so a server restarting under a sync or a follower is survived.
// Every f is idempotent: reads are, and writes skip stored ids.
func (s *Store) retry(ctx context.Context, doing string, f func(context.Context) error) error {
	deadline := time.Now().Add(outage)
	wait := 50 * time.Millisecond
	for {
		err := f(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var sentence said
		if errors.As(err, &sentence) {
			return sentence.error
		}
		if !transient(err) || time.Now().After(deadline) {
			return s.fail(doing, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// said is an error that is already a sentence for the user, passed on as
// it is; a nil one is no error.
type said struct{ error }

func sentence(err error) error {
	if err == nil {
		return nil
	}
	return said{err}
}
