package fakeapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Demo is the demo organisation served on loopback.
type Demo struct {
	URL    string // base URL ending in /v1, for the SDK's base URL option
	Key    string // a random admin key made for this process
	Server *Server

	srv       *http.Server
	closeOnce sync.Once
	stop      func() bool
}

// Demo organisation settings: a few thousand events, pages that take
// 40-120 ms like a real API's.
const (
	demoEvents     = 4000
	demoSeed       = 20240101
	demoLatency    = 40 * time.Millisecond
	demoJitter     = 80 * time.Millisecond
	demoListenAddr = "127.0.0.1:0"
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
		_ = d.srv.Close()
	})
}
