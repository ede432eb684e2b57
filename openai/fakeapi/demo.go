package fakeapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/auditui/auditui/model"
)

// Demo is the demo organisation served on loopback.
type Demo struct {
	URL    string // base URL ending in /v1, for the SDK's base URL option
	Key    string // a random admin key made for this process
	Server *Server

	srv       *http.Server
	closeOnce sync.Once
	stop      func() bool
	closed    chan struct{} // closed by Close: stops growing

	mu     sync.Mutex
	future []model.Event // events still to come, oldest first
	grown  int           // how many of them came
}

// Demo organisation settings: a few thousand events, pages that take
// 40-120 ms like a real API's.
const (
	demoEvents     = 4000
	demoSeed       = 20240101
	demoLatency    = 40 * time.Millisecond
	demoJitter     = 80 * time.Millisecond
	demoListenAddr = "127.0.0.1:0"
	// DemoGrowEvery is how often a growing demo organisation receives an event.
	DemoGrowEvery = 5 * time.Second
	// demoFuture is how many events the demo can receive: hours of growth.
	demoFuture = 5000
)

// StartDemo serves the demo organisation (hostile records included) on
// 127.0.0.1 with a random key until Close is called or ctx ends.
func StartDemo(ctx context.Context) (*Demo, error) {
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("make a key for the demo server: %w", err)
	}
	key := "sk-admin-demo-" + hex.EncodeToString(secret)
	events := Org(OrgOptions{Events: demoEvents, Seed: demoSeed, Now: time.Now(), Hostile: true})
	s := New(events, WithKey(key), WithLatency(demoLatency))
	s.jitter = demoJitter

	// Loopback only: the demo must never be reachable from another machine.
	ln, err := net.Listen("tcp", demoListenAddr)
	if err != nil {
		return nil, fmt.Errorf("start the demo server on loopback: %w", err)
	}
	d := &Demo{
		URL:    "http://" + ln.Addr().String() + "/v1",
		Key:    key,
		Server: s,
		srv:    &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second},
		closed: make(chan struct{}),
	}
	d.stop = context.AfterFunc(ctx, d.Close)
	// Serve returns http.ErrServerClosed after Close; any other failure
	// reaches the client as a network error, which it already reports.
	go func() { _ = d.srv.Serve(ln) }()
	return d, nil
}

// Close stops the server and drops open connections; it is safe to call
// more than once.
func (d *Demo) Close() {
	d.closeOnce.Do(func() {
		d.stop()
		close(d.closed)
		_ = d.srv.Close()
	})
}

// demoFutureEvents are the events a demo organisation receives as it
// grows, oldest first: another seed's organisation, so the same seed always
// brings the same events in the same order.
func demoFutureEvents(seed int64) []model.Event {
	events := Org(OrgOptions{Events: demoFuture, Seed: seed + 1})
	slices.Reverse(events)
	return events
}

// Grow gives the organisation its next event, at the whole second of at,
// and returns it; false when the demo has received all it can.
func (d *Demo) Grow(at time.Time) (model.Event, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.future == nil {
		d.future = demoFutureEvents(demoSeed) // made on first use: export never grows
	}
	if d.grown == len(d.future) {
		return model.Event{}, false
	}
	e, err := retime(d.future[d.grown], at)
	if err != nil {
		// The records are this package's own, so this is a bug here, not bad input.
		panic("fakeapi: cannot retime a demo record: " + err.Error())
	}
	d.grown++
	d.Server.Add(e)
	return e, true
}

// GrowEvery gives the organisation a new event every interval until Close,
// so that following it shows events arriving.
func (d *Demo) GrowEvery(interval time.Duration) {
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case now := <-t.C:
				if _, ok := d.Grow(now); !ok {
					return
				}
			case <-d.closed:
				return
			}
		}
	}()
}

// retime is e happening at at instead: its record's effective_at rewritten
// and decoded again, so Raw stays what the API would send.
func retime(e model.Event, at time.Time) (model.Event, error) {
	old := []byte(`"effective_at":` + strconv.FormatInt(e.EffectiveAt.Unix(), 10))
	i := bytes.Index(e.Raw, old)
	if i < 0 {
		return model.Event{}, fmt.Errorf("record %s has no %s", e.ID, old)
	}
	raw := slices.Concat(e.Raw[:i], []byte(`"effective_at":`+strconv.FormatInt(at.Unix(), 10)), e.Raw[i+len(old):])
	return model.DecodeEvent(raw)
}
