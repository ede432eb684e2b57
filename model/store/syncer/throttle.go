package syncer

import (
	"context"
	"net/http"
	"sync"
)

// Throttle is how many requests a sync runs at once: halved when the API
// answers 429 (the client waits as Retry-After says), raised by one after
// as many clean answers as are running. Wrap the transport the client uses
// so that the throttle sees every answer, retries included.
type Throttle struct {
	mu      sync.Mutex
	changed chan struct{} // closed and replaced when a slot frees or the limit rises
	limit   int
	most    int
	running int
	clean   int
	limited int // 429 answers seen
}

// NewThrottle allows up to most requests at once, starting there.
func NewThrottle(most int) *Throttle {
	most = max(most, 1)
	return &Throttle{limit: most, most: most, changed: make(chan struct{})}
}

// Limit is how many requests may run at once now.
func (t *Throttle) Limit() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.limit
}

// RateLimited is how many 429 answers the throttle has seen.
func (t *Throttle) RateLimited() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.limited
}

func (t *Throttle) acquire(ctx context.Context) error {
	if t == nil {
		return ctx.Err()
	}
	for {
		t.mu.Lock()
		if t.running < t.limit {
			t.running++
			t.mu.Unlock()
			return nil
		}
		ch := t.changed
		t.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (t *Throttle) release() {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.running--
	t.wake()
	t.mu.Unlock()
}

// wake lets waiting workers look again; t.mu is held.
func (t *Throttle) wake() {
	close(t.changed)
	t.changed = make(chan struct{})
}

// observe adjusts the limit to one answer's status.
func (t *Throttle) observe(status int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case status == http.StatusTooManyRequests:
		t.limited++
		t.limit = max(1, t.limit/2)
		t.clean = 0
	case status < 400:
		t.clean++
		if t.clean >= t.limit && t.limit < t.most {
			t.limit++
			t.clean = 0
			t.wake()
		}
	}
}

// Wrap returns a transport that reports every answer's status to t.
func (t *Throttle) Wrap(rt http.RoundTripper) http.RoundTripper {
	if rt == nil {
		rt = http.DefaultTransport
	}
	return observed{t: t, rt: rt}
}

type observed struct {
	t  *Throttle
	rt http.RoundTripper
}

func (o observed) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := o.rt.RoundTrip(req)
	if err == nil {
		o.t.observe(res.StatusCode)
	}
	return res, err
}
