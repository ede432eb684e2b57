package model

import (
	"bytes"
	"encoding/json"
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

// payloadView holds the payload fields summaries and Details read, gathered
// in one pass over the payload (and one over each of data and
// changes_requested). Results alias the event's Raw.
type payloadView struct {
	id, name, roleName, email, role, errorCode, errorMessage gjson.Result
	allowedIPs, permissions, certificates, configs           gjson.Result
	identityProviderID, projectID, serviceAccountID          gjson.Result
	principalID, principalType, resourceID, resourceType     gjson.Result
	roleID, connectorName                                    gjson.Result
	data, changes                                            gjson.Result
	dScopes, dRole, dEmail, dName, dTitle, dGroupName        gjson.Result
	dProjectID, dCheckpoint, dGeography, dProvider           gjson.Result
	cScopes, cRole, cGroupName, cRoleName                    gjson.Result
	cPermissionsAdded, cPermissionsRemoved                   gjson.Result
	hasChanges                                               bool
}

func viewPayload(payload json.RawMessage) payloadView {
	var v payloadView
	if len(payload) == 0 || payload[0] != '{' {
		return v
	}
	// Payload aliases Raw, which an Event never modifies: no copy needed.
	p := gjson.Parse(unsafe.String(&payload[0], len(payload)))
	p.ForEach(func(k, x gjson.Result) bool {
		switch k.Str {
		case "id":
			v.id = x
		case "name":
			v.name = x
		case "role_name":
			v.roleName = x
		case "email":
			v.email = x
		case "role":
			v.role = x
		case "error_code":
			v.errorCode = x
		case "error_message":
			v.errorMessage = x
		case "allowed_ips":
			v.allowedIPs = x
		case "permissions":
			v.permissions = x
		case "certificates":
			v.certificates = x
		case "configs":
			v.configs = x
		case "identity_provider_id":
			v.identityProviderID = x
		case "project_id":
			v.projectID = x
		case "service_account_id":
			v.serviceAccountID = x
		case "principal_id":
			v.principalID = x
		case "principal_type":
			v.principalType = x
		case "resource_id":
			v.resourceID = x
		case "resource_type":
			v.resourceType = x
		case "role_id":
			v.roleID = x
		case "connector_name":
			v.connectorName = x
		case "data":
			v.data = x
		case "changes_requested":
			v.changes = x
		}
		return true
	})
	if v.data.IsObject() {
		v.data.ForEach(func(k, x gjson.Result) bool {
			switch k.Str {
			case "scopes":
				v.dScopes = x
			case "role":
				v.dRole = x
			case "email":
				v.dEmail = x
			case "name":
				v.dName = x
			case "title":
				v.dTitle = x
			case "group_name":
				v.dGroupName = x
			case "project_id":
				v.dProjectID = x
			case "fine_tuned_model_checkpoint":
				v.dCheckpoint = x
			case "geography":
				v.dGeography = x
			case "provider":
				v.dProvider = x
			}
			return true
		})
	}
	if v.changes.IsObject() {
		v.changes.ForEach(func(k, x gjson.Result) bool {
			v.hasChanges = true
			switch k.Str {
			case "scopes":
				v.cScopes = x
			case "role":
				v.cRole = x
			case "group_name":
				v.cGroupName = x
			case "role_name":
				v.cRoleName = x
			case "permissions_added":
				v.cPermissionsAdded = x
			case "permissions_removed":
				v.cPermissionsRemoved = x
			}
			return true
		})
	}
	return v
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
	case gjson.String:
		return x.Str
	case gjson.Number:
		return x.Raw
	case gjson.True:
		return "true"
	case gjson.False:
		return "false"
	case gjson.Null:
		return "null"
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
