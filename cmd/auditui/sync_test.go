package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/model/store/sqlite"
)

func TestSyncFillsStoreThenNothingNew(t *testing.T) {
	fake, events := fakeAPI(t, 2000)
	path := filepath.Join(t.TempDir(), "org.db")
	var out, errb bytes.Buffer
	a := newApp(strings.NewReader(""), &out, &errb)
	a.now = func() time.Time { return orgNow.Add(time.Hour) }
	if code := run(context.Background(), []string{"sync", "--store", path}, a); code != exitOK {
		t.Fatalf("sync exited %d: %s", code, errb.String())
	}
	s, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, _ := s.Count(context.Background())
	if n != len(events) || !strings.Contains(errb.String(), " stored in ") {
		t.Fatalf("the store holds %d of %d events; stderr %q", n, len(events), errb.String())
	}
	before := len(fake.Requests())
	if code := run(context.Background(), []string{"sync", "--store", path}, a); code != exitOK {
		t.Fatalf("second sync exited %d: %s", code, errb.String())
	}
	if got := len(fake.Requests()) - before; got != 2 {
		t.Fatalf("a sync with nothing new made %d requests, want one per listing", got)
	}
}

func TestSyncSaysOneNewEventInTheSingular(t *testing.T) {
	_, events := fakeAPI(t, 1)
	path := filepath.Join(t.TempDir(), "org.db")
	var out, errb bytes.Buffer
	a := newApp(strings.NewReader(""), &out, &errb)
	a.now = func() time.Time { return orgNow.Add(time.Hour) }
	if code := run(context.Background(), []string{"sync", "--store", path}, a); code != exitOK {
		t.Fatalf("sync exited %d: %s", code, errb.String())
	}
	if len(events) != 1 || !strings.Contains(errb.String(), "auditui: 1 new event stored in ") {
		t.Fatalf("a sync of %d event said %q, want \"1 new event stored\"", len(events), errb.String())
	}
}
