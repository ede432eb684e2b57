package main

import (
	"net/http"
	"time"

	"github.com/auditui/auditui/openai/fakeapi"
)

func main() {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 20000, Seed: 5, Now: time.Now()})
	s := fakeapi.New(events, fakeapi.WithKey("sk-admin-tmpfake-0123456789abcdef"), fakeapi.WithLatency(50*time.Millisecond))
	go func() {
		for i := 0; ; i++ {
			time.Sleep(3 * time.Second)
			e := fakeapi.Org(fakeapi.OrgOptions{Events: 1, Seed: int64(100 + i), Now: time.Now().Add(time.Second)})
			s.Add(e...)
		}
	}()
	http.ListenAndServe("127.0.0.1:18777", s)
}
