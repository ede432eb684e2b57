package model

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"github.com/tidwall/gjson"
)

// Details are the payload fields the UI shows by name. Fields the event does
// not carry are empty; everything else stays reachable through PayloadTree.
type Details struct {
	ResourceID string // the payload's "id"
	Name       string // name, role_name, data.name, data.title, data.group_name or connector_name
	Scopes     []string
	Role       string // data.role or changes_requested.role
	Email      string // data.email or email
	// Changes is changes_requested flattened: nested keys joined with dots,
	// lists of scalars joined with ", ".
	Changes            []Change
	AllowedIPs         []string
	Permissions        []string
	PermissionsAdded   []string
	PermissionsRemoved []string
	RateLimits         []RateLimit
	ErrorCode          string
	ErrorMessage       string
	Items              []NamedID // certificates[] or configs[]
}

// Change is one requested change: a field (dotted path under
// changes_requested) and its new value as text.
type Change struct {
	Field string
	Value string
}

// RateLimit is one limit from a rate_limit.updated payload.
type RateLimit struct {
	Name  string // the field as sent, e.g. "max_requests_per_1_minute"
	Value int64
	Unit  string // e.g. "requests/minute"; "" for a field this build does not know
}

// NamedID is an object listed in a payload, such as an activated certificate.
type NamedID struct {
	ID   string
	Name string
}

// rateLimitUnits gives the unit of each rate-limit field the spec declares.
var rateLimitUnits = map[string]string{
	"max_requests_per_1_minute":        "requests/minute",
	"max_tokens_per_1_minute":          "tokens/minute",
	"max_images_per_1_minute":          "images/minute",
	"max_audio_megabytes_per_1_minute": "MB of audio/minute",
	"max_requests_per_1_day":           "requests/day",
	"batch_1_day_max_input_tokens":     "batch input tokens/day",
}

// Details returns the typed fields of the event's payload.
func (e *Event) Details() Details {
	v := viewPayload(e.Payload)
	d := Details{
		ResourceID:   scalar(v.id),
		Name:         v.displayName(),
		Scopes:       stringList(v.anyScopes()),
		Role:         v.anyRole(),
		Email:        firstString(v.dEmail, v.email),
		AllowedIPs:   stringList(v.allowedIPs),
		Permissions:  stringList(v.permissions),
		ErrorCode:    scalar(v.errorCode),
		ErrorMessage: scalar(v.errorMessage),
	}
	d.PermissionsAdded = stringList(v.cPermissionsAdded)
	d.PermissionsRemoved = stringList(v.cPermissionsRemoved)
	if v.changes.IsObject() {
		d.Changes = flattenChanges(nil, "", v.changes, 0)
		d.RateLimits = rateLimits(v.changes)
	}
	v.items().ForEach(func(_, it gjson.Result) bool {
		if it.IsObject() {
			d.Items = append(d.Items, NamedID{ID: it.Get("id").String(), Name: it.Get("name").String()})
		}
		return true
	})
	return d
}

// payloadView holds the payload fields summaries and Details read, each
// wire-tagged with its path (a key of the payload, of data or of
// changes_requested). viewPayload fills them in one pass over the payload
// and one over each of data and changes_requested; a field keeps the raw
// value, which scalar reads leniently (a string or a number). Results alias
// the event's Raw.
type payloadView struct {
	id                  gjson.Result `wire:"id"`
	name                gjson.Result `wire:"name"`
	roleName            gjson.Result `wire:"role_name"`
	email               gjson.Result `wire:"email"`
	role                gjson.Result `wire:"role"`
	errorCode           gjson.Result `wire:"error_code"`
	errorMessage        gjson.Result `wire:"error_message"`
	allowedIPs          gjson.Result `wire:"allowed_ips"`
	permissions         gjson.Result `wire:"permissions"`
	certificates        gjson.Result `wire:"certificates"`
	configs             gjson.Result `wire:"configs"`
	identityProviderID  gjson.Result `wire:"identity_provider_id"`
	projectID           gjson.Result `wire:"project_id"`
	serviceAccountID    gjson.Result `wire:"service_account_id"`
	principalID         gjson.Result `wire:"principal_id"`
	principalType       gjson.Result `wire:"principal_type"`
	resourceID          gjson.Result `wire:"resource_id"`
	resourceType        gjson.Result `wire:"resource_type"`
	roleID              gjson.Result `wire:"role_id"`
	connectorName       gjson.Result `wire:"connector_name"`
	data                gjson.Result `wire:"data"`
	changes             gjson.Result `wire:"changes_requested"`
	dScopes             gjson.Result `wire:"data.scopes"`
	dRole               gjson.Result `wire:"data.role"`
	dEmail              gjson.Result `wire:"data.email"`
	dName               gjson.Result `wire:"data.name"`
	dTitle              gjson.Result `wire:"data.title"`
	dGroupName          gjson.Result `wire:"data.group_name"`
	dProjectID          gjson.Result `wire:"data.project_id"`
	dCheckpoint         gjson.Result `wire:"data.fine_tuned_model_checkpoint"`
	dGeography          gjson.Result `wire:"data.geography"`
	dProvider           gjson.Result `wire:"data.provider"`
	cScopes             gjson.Result `wire:"changes_requested.scopes"`
	cRole               gjson.Result `wire:"changes_requested.role"`
	cGroupName          gjson.Result `wire:"changes_requested.group_name"`
	cRoleName           gjson.Result `wire:"changes_requested.role_name"`
	cPermissionsAdded   gjson.Result `wire:"changes_requested.permissions_added"`
	cPermissionsRemoved gjson.Result `wire:"changes_requested.permissions_removed"`
	hasChanges          bool         // changes_requested has a member
}

// payloadKeys maps each object viewPayload reads ("" for the payload
// itself) to its keys and the offsets of their fields in payloadView.
var payloadKeys = func() map[string]map[string]uintptr {
	m := map[string]map[string]uintptr{}
	for path, off := range wireKeys(reflect.TypeFor[payloadView]()) {
		obj, key, nested := strings.Cut(path, ".")
		if !nested {
			obj, key = "", path
		}
		if m[obj] == nil {
			m[obj] = map[string]uintptr{}
		}
		m[obj][key] = off
	}
	return m
}()

func viewPayload(payload json.RawMessage) payloadView {
	var v payloadView
	if len(payload) == 0 || payload[0] != '{' {
		return v
	}
	// Payload aliases Raw, which an Event never modifies: no copy needed.
	v.fill(gjson.Parse(unsafe.String(&payload[0], len(payload))), payloadKeys[""])
	if v.data.IsObject() {
		v.fill(v.data, payloadKeys["data"])
	}
	if v.changes.IsObject() {
		v.hasChanges = v.fill(v.changes, payloadKeys["changes_requested"])
	}
	return v
}

// fill sets the fields obj's keys name (the last of a repeated key wins) and
// reports whether obj has any member.
func (v *payloadView) fill(obj gjson.Result, keys map[string]uintptr) (members bool) {
	obj.ForEach(func(k, x gjson.Result) bool {
		members = true
		if off, ok := keys[k.Str]; ok {
			*(*gjson.Result)(unsafe.Add(unsafe.Pointer(v), off)) = x
		}
		return true
	})
	return members
}

// scopes prefers changes_requested.scopes (the schema) and falls back to
// data.scopes (where the official api_key.updated example puts them).
func (v *payloadView) anyScopes() gjson.Result {
	if v.cScopes.IsArray() {
		return v.cScopes
	}
	return v.dScopes
}

// items is certificates[] or configs[], whichever the payload has.
func (v *payloadView) items() gjson.Result {
	if v.certificates.IsArray() {
		return v.certificates
	}
	return v.configs
}

func (v *payloadView) anyRole() string {
	return firstString(v.dRole, v.cRole, v.role)
}

func (v *payloadView) displayName() string {
	return firstString(v.name, v.roleName, v.dName, v.dTitle, v.dGroupName, v.connectorName)
}

// firstString returns the first non-empty string or number among rs.
func firstString(rs ...gjson.Result) string {
	for _, r := range rs {
		if s := scalar(r); s != "" {
			return s
		}
	}
	return ""
}

// stringList returns the scalars of a JSON array as text; nil otherwise.
func stringList(r gjson.Result) []string {
	if !r.IsArray() {
		return nil
	}
	var out []string
	r.ForEach(func(_, x gjson.Result) bool {
		if s := scalar(x); s != "" {
			out = append(out, s)
		}
		return true
	})
	return out
}

// maxChangeDepth is how deep changes_requested is flattened; anything
// deeper is one change holding compact JSON.
const maxChangeDepth = 16

// flattenChanges walks changes_requested depth first in the order sent.
func flattenChanges(out []Change, prefix string, obj gjson.Result, depth int) []Change {
	obj.ForEach(func(k, x gjson.Result) bool {
		field := k.Str
		if prefix != "" {
			field = prefix + "." + k.Str
		}
		if x.IsObject() && depth < maxChangeDepth && strings.TrimSpace(x.Raw[1:len(x.Raw)-1]) != "" {
			out = flattenChanges(out, field, x, depth+1)
			return true
		}
		out = append(out, Change{Field: field, Value: valueText(x)})
		return true
	})
	return out
}

// valueText renders a JSON value for one line: strings unquoted, lists of
// scalars joined with ", ", anything else as compact JSON.
func valueText(x gjson.Result) string {
	switch x.Type {
	case gjson.String, gjson.Number:
		return scalar(x)
	case gjson.True, gjson.False, gjson.Null:
		return x.Raw
	}
	if x.IsArray() {
		var parts []string
		simple := true
		x.ForEach(func(_, it gjson.Result) bool {
			if it.IsObject() || it.IsArray() {
				simple = false
				return false
			}
			parts = append(parts, valueText(it))
			return true
		})
		if simple && len(parts) > 0 {
			return strings.Join(parts, ", ")
		}
	}
	return compactJSON(x.Raw)
}

func compactJSON(raw string) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(raw)); err != nil {
		return raw
	}
	return b.String()
}

func rateLimits(changes gjson.Result) []RateLimit {
	var out []RateLimit
	changes.ForEach(func(k, x gjson.Result) bool {
		unit, known := rateLimitUnits[k.Str]
		if !known && !strings.HasPrefix(k.Str, "max_") {
			return true
		}
		n, ok := intValue(x)
		if ok {
			out = append(out, RateLimit{Name: k.Str, Value: n, Unit: unit})
		}
		return true
	})
	return out
}

// intValue reads an integer sent as a number or a numeric string.
func intValue(x gjson.Result) (int64, bool) {
	switch x.Type {
	case gjson.Number:
		n, err := strconv.ParseInt(x.Raw, 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(x.Raw, 64)
			if ferr != nil || f != float64(int64(f)) {
				return 0, false
			}
			return int64(f), true
		}
		return n, true
	case gjson.String:
		n, err := strconv.ParseInt(x.Str, 10, 64)
		return n, err == nil
	}
	return 0, false
}

// NodeKind is the JSON type of a Node.
type NodeKind int

// The JSON types a Node can have.
const (
	NodeObject NodeKind = iota
	NodeArray
	NodeString
	NodeNumber
	NodeBool
	NodeNull
)

func (k NodeKind) String() string {
	switch k {
	case NodeObject:
		return "object"
	case NodeArray:
		return "array"
	case NodeString:
		return "string"
	case NodeNumber:
		return "number"
	case NodeBool:
		return "bool"
	case NodeNull:
		return "null"
	}
	return "unknown"
}

// Node is one value in a JSON document, for the generic tree view. Key is
// the object key, or the index for array elements ("0", "1", ...), and "" at
// the root; Value is the text of a scalar (strings unquoted, numbers as
// sent) and "" for objects and arrays, whose members are Children in the
// order sent.
type Node struct {
	Key      string
	Value    string
	Kind     NodeKind
	Children []Node
}

// maxTreeDepth bounds recursion on hostile input; deeper values are shown as
// their compact JSON text.
const maxTreeDepth = 64

// PayloadTree parses raw into a tree that keeps keys in the order sent,
// duplicates included. Empty input is a null node; input that is not valid
// JSON (or nests deeper than maxDepth) is a single string node holding the
// text, so it can still be shown.
func PayloadTree(raw json.RawMessage) Node {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 {
		return Node{Kind: NodeNull, Value: "null"}
	}
	if !validJSON(b) {
		return Node{Kind: NodeString, Value: string(b)}
	}
	return treeNode("", gjson.Parse(string(b)), 0)
}

func treeNode(key string, x gjson.Result, depth int) Node {
	n := Node{Key: key}
	switch x.Type {
	case gjson.String:
		n.Kind, n.Value = NodeString, x.Str
	case gjson.Number:
		n.Kind, n.Value = NodeNumber, x.Raw
	case gjson.True:
		n.Kind, n.Value = NodeBool, "true"
	case gjson.False:
		n.Kind, n.Value = NodeBool, "false"
	case gjson.Null:
		n.Kind, n.Value = NodeNull, "null"
	case gjson.JSON:
		if x.IsArray() {
			n.Kind = NodeArray
		}
		if depth >= maxTreeDepth {
			n.Value = compactJSON(x.Raw)
			return n
		}
		i := 0
		x.ForEach(func(k, c gjson.Result) bool {
			ck := k.Str
			if n.Kind == NodeArray {
				ck = strconv.Itoa(i)
			}
			n.Children = append(n.Children, treeNode(ck, c, depth+1))
			i++
			return true
		})
	}
	return n
}
