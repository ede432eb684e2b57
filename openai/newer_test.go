package openai

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

// olderServer answers like a server validating against the published API
// description: a type only the SDK knows is refused with a 422.
func olderServer(t *testing.T, fake *fakeapi.Server) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slices.ContainsFunc(r.URL.Query()["event_types[]"], func(t string) bool { return newerTypes[t] }) {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusUnprocessableEntity)
			w.Write([]byte(`{"title":"Invalid request","status":422,"detail":"event_types[] must be equal to one of the allowed values"}`))
			return
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return testClient(srv.URL)
}

func TestAnOlderServerIsAskedWithoutTheNewerTypes(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 2000, Seed: 7, Now: orgNow})
	fake := fakeapi.New(events, fakeapi.WithKey(testKey))
	c := olderServer(t, fake)
	types, err := model.ExpandTypes([]string{"tenant.*"})
	if err != nil || !slices.ContainsFunc(types, func(t string) bool { return newerTypes[t] }) {
		t.Fatalf("tenant.* should hold a newer type: %v %v", types, err)
	}
	got, _, err := collect(context.Background(), c, model.Query{Filter: model.Filter{Types: types}})
	if err != nil {
		t.Fatal(err)
	}
	// An older server holds no events of the types it does not know.
	known := slices.DeleteFunc(slices.Clone(types), func(t string) bool { return newerTypes[t] })
	sameEvents(t, got, fakeapi.Listed(events, model.Filter{Types: known, TenantOnly: true}))
	reqs := fake.Requests()
	if len(reqs) == 0 || slices.ContainsFunc(reqs[len(reqs)-1].Query["event_types[]"], func(t string) bool { return newerTypes[t] }) {
		t.Fatal("the newer types were still sent after the refusal")
	}
}

func TestOnlyNewerTypesStillFail(t *testing.T) {
	fake := fakeapi.New(fakeapi.Org(fakeapi.OrgOptions{Events: 50, Seed: 7, Now: orgNow}), fakeapi.WithKey(testKey))
	c := olderServer(t, fake)
	_, _, err := collect(context.Background(), c, model.Query{Filter: model.Filter{Types: []string{"external_storage.registered"}}})
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusUnprocessableEntity {
		t.Fatalf("got %v, want the 422 told: dropping the only type would ask for every type", err)
	}
	oneSentence(t, e.Sentence)
}

func TestNewerTypesAreInTheCatalogue(t *testing.T) {
	for typ := range newerTypes {
		if _, ok := model.LookupType(typ); !ok {
			t.Errorf("%s is not in the catalogue", typ)
		}
	}
}
