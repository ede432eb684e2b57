// Package model is auditui's domain. It holds audit-log events kept
// losslessly (event.go, decode.go) and the sources they come from: API
// pages, files and memory (source.go, read.go, filesource.go, memsource.go);
// the event-type catalogue, one row per type (catalogue.go,
// catalogue_data.go), which words each summary (summary.go) and says what
// the synthetic organisation generates; a payload's named fields
// (payload.go); the server-side filter (filter.go) and the one free-text
// search the filter box and the query language share (match.go); and the
// indexed event set that filters a million events per keystroke (set.go,
// scan.go) with its facets and histogram. Its subpackages are the query
// language, the sanitiser, export, object histories, saved views and the
// local store. It imports neither the SDK nor the UI.
package model

import (
	"encoding/json"
	"net/netip"
	"time"
)

// Event is one audit-log record. Its record, the bytes exactly as received
// (unknown fields included) so that export and the raw view lose nothing, is
// JSON: held in Raw, or left in the file it was read from (see
// ReadFileEvents, then Raw is nil). The other fields are decoded from it
// once.
type Event struct {
	Raw         json.RawMessage // the record when it is held; read it with JSON
	at          rawAt           // where the record is when Raw is nil
	ID          string
	Type        string
	EffectiveAt time.Time // UTC
	Project     Project   // zero when the event is not scoped to a project
	Actor       Actor     // Kind is ActorNone when the actor is null or absent
	// Payload is the type-specific object stored under the key named exactly
	// like Type (dots included); nil when the record has none.
	Payload json.RawMessage
}

// Project is the project an action was scoped to.
type Project struct {
	ID   string
	Name string
}

// IsZero reports whether the event carried no project.
func (p Project) IsZero() bool { return p.ID == "" && p.Name == "" }

// ActorKind says who acted: a signed-in session or an API key. Values other
// than the known ones are kept as sent.
type ActorKind string

const (
	ActorNone    ActorKind = ""
	ActorSession ActorKind = "session"
	ActorAPIKey  ActorKind = "api_key"
)

// Actor is who performed the action.
type Actor struct {
	Kind    ActorKind
	Session *Session     // set when Kind is ActorSession
	APIKey  *APIKeyActor // set when Kind is ActorAPIKey
}

// User is a person in the organisation.
type User struct {
	ID    string
	Email string
}

// Session is a signed-in browser or CLI session. Only User and IPAddress are
// declared by the spec; the rest appear in real records and the examples.
type Session struct {
	User      User
	IPAddress string `wire:"ip_address"`
	UserAgent string `wire:"user_agent"`
	JA3       string `wire:"ja3"`
	JA4       string `wire:"ja4"`
	Location  Location
}

// Location is where an IP address is; numbers are kept as the text sent
// because the API sends asn, latitude and longitude as strings or numbers.
type Location struct {
	Country    string `wire:"country"`
	City       string `wire:"city"`
	Region     string `wire:"region"`
	RegionCode string `wire:"region_code"`
	ASN        string `wire:"asn"`
	Latitude   string `wire:"latitude"`
	Longitude  string `wire:"longitude"`
}

// IsZero reports whether no location was sent.
func (l Location) IsZero() bool { return l == Location{} }

// API key types as the spec names them.
const (
	APIKeyUser           = "user"
	APIKeyServiceAccount = "service_account"
)

// APIKeyActor is the API key that performed the action.
type APIKeyActor struct {
	ID               string `wire:"id"`   // tracking id of the key; the official example omits it
	Type             string `wire:"type"` // APIKeyUser or APIKeyServiceAccount
	User             User   // owner when Type is APIKeyUser
	ServiceAccountID string // when Type is APIKeyServiceAccount
}

// Email returns the acting user's email, or "".
func (a Actor) Email() string {
	switch {
	case a.Session != nil:
		return a.Session.User.Email
	case a.APIKey != nil:
		return a.APIKey.User.Email
	}
	return ""
}

// IDs returns every id that identifies the actor, as the API's actor_ids[]
// filter understands them: user id, service account id, API key id.
func (a Actor) IDs() []string {
	var ids []string
	add := func(s string) {
		if s != "" {
			ids = append(ids, s)
		}
	}
	if a.Session != nil {
		add(a.Session.User.ID)
	}
	if a.APIKey != nil {
		add(a.APIKey.ID)
		add(a.APIKey.User.ID)
		add(a.APIKey.ServiceAccountID)
	}
	return ids
}

// IP returns the session's IP address, or "".
func (a Actor) IP() string {
	if a.Session != nil {
		return a.Session.IPAddress
	}
	return ""
}

// CanonicalIP is the address s in one spelling (lower case, zeros
// compressed, an IPv4-mapped IPv6 address as IPv4, no zone), as the ip: term
// compares addresses; "" when s is not an address.
func CanonicalIP(s string) string {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return ""
	}
	return a.WithZone("").Unmap().String()
}

// Country returns the session's country code, or "".
func (a Actor) Country() string {
	if a.Session != nil {
		return a.Session.Location.Country
	}
	return ""
}

// Label is the one name a person recognises the actor by: an email, else the
// service account or key id, else the user id.
func (a Actor) Label() string {
	if e := a.Email(); e != "" {
		return e
	}
	switch {
	case a.APIKey != nil && a.APIKey.ServiceAccountID != "":
		return a.APIKey.ServiceAccountID
	case a.APIKey != nil && a.APIKey.ID != "":
		return a.APIKey.ID
	case a.APIKey != nil && a.APIKey.User.ID != "":
		return a.APIKey.User.ID
	case a.Session != nil && a.Session.User.ID != "":
		return a.Session.User.ID
	}
	return ""
}
