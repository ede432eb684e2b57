package model

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
	"unsafe"

	"github.com/tidwall/gjson"
)

// DecodeEvent decodes one audit-log record. The event keeps raw (trimmed of
// surrounding white space) as its Raw and its strings point into it, so the
// caller must not modify raw afterwards.
func DecodeEvent(raw []byte) (Event, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return Event{}, errors.New("empty record")
	}
	if raw[0] != '{' {
		return Event{}, errors.New("record is not a JSON object")
	}
	if tooDeep(raw) {
		return Event{}, fmt.Errorf("record nests deeper than %d levels", maxDepth)
	}
	if !gjson.ValidBytes(raw) {
		return Event{}, errors.New("record is not valid JSON")
	}
	return decodeValid(raw)
}

// decodeValid is DecodeEvent for raw already known to be one trimmed, valid
// JSON object, so that readers which validated a whole page do not pay twice.
func decodeValid(raw []byte) (Event, error) {
	// Zero-copy view: gjson results then alias raw, which the Event keeps.
	doc := gjson.Parse(unsafe.String(&raw[0], len(raw)))

	e := Event{Raw: raw}
	var haveTime bool
	var actor, project, payload gjson.Result
	// One pass over the top-level keys. The payload key equals "type", which
	// real records send first; keys seen before "type" are kept to check later.
	var early []gjson.Result
	var earlyKeys []string
	var err error
	doc.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "id":
			e.ID, err = stringField("id", v)
		case "type":
			e.Type, err = stringField("type", v)
		case "effective_at":
			e.EffectiveAt, err = unixField(v)
			haveTime = err == nil
		case "actor":
			actor = v
		case "project":
			project = v
		default:
			switch {
			case e.Type == "":
				early = append(early, v)
				earlyKeys = append(earlyKeys, k.Str)
			case k.Str == e.Type && payload.Index == 0:
				payload = v
			}
		}
		return err == nil
	})
	if err != nil {
		return Event{}, err
	}
	switch {
	case e.ID == "":
		return Event{}, errors.New(`record has no "id"`)
	case e.Type == "":
		return Event{}, errors.New(`record has no "type"`)
	case !haveTime:
		return Event{}, errors.New(`record has no "effective_at"`)
	}
	for i, k := range earlyKeys {
		if k == e.Type && payload.Index == 0 {
			payload = early[i]
		}
	}
	if payload.Index > 0 && payload.Type != gjson.Null {
		at, n := payload.Index, len(payload.Raw)
		e.Payload = raw[at : at+n : at+n]
	}
	if project.IsObject() {
		e.Project = Project{ID: project.Get("id").String(), Name: project.Get("name").String()}
	}
	if actor.IsObject() {
		e.Actor = decodeActor(actor)
	}
	return e, nil
}

func stringField(name string, v gjson.Result) (string, error) {
	if v.Type != gjson.String {
		return "", fmt.Errorf("%q is not a string", name)
	}
	return v.Str, nil
}

// unixField accepts Unix seconds as a number or a numeric string.
func unixField(v gjson.Result) (time.Time, error) {
	var secs float64
	switch v.Type {
	case gjson.Number:
		secs = v.Num
	case gjson.String:
		f, err := strconv.ParseFloat(v.Str, 64)
		if err != nil {
			return time.Time{}, errors.New(`"effective_at" is not Unix seconds`)
		}
		secs = f
	default:
		return time.Time{}, errors.New(`"effective_at" is not Unix seconds`)
	}
	if math.IsNaN(secs) || secs < -1e11 || secs > 1e11 {
		return time.Time{}, errors.New(`"effective_at" is out of range`)
	}
	whole, frac := math.Modf(secs)
	return time.Unix(int64(whole), int64(frac*1e9)).UTC(), nil
}

func decodeActor(v gjson.Result) Actor {
	var a Actor
	// Each object is walked once: gjson's Get would rescan it per field.
	v.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "type":
			a.Kind = ActorKind(v.String())
		case "session":
			if v.IsObject() {
				a.Session = decodeSession(v)
			}
		case "api_key":
			if v.IsObject() {
				a.APIKey = decodeAPIKey(v)
			}
		}
		return true
	})
	if a.Kind == ActorNone && a.Session != nil {
		a.Kind = ActorSession
	}
	if a.Kind == ActorNone && a.APIKey != nil {
		a.Kind = ActorAPIKey
	}
	return a
}

// The keys of ip_address_details, a session and an API key actor that are
// text, and the offsets of their fields, from the fields' wire tags.
var (
	locationKeys = wireKeys(reflect.TypeFor[Location]())
	sessionKeys  = wireKeys(reflect.TypeFor[Session]())
	apiKeyKeys   = wireKeys(reflect.TypeFor[APIKeyActor]())
)

// walkWire walks object v once, setting each string field of the struct at
// p whose wire tag names a key (its offset in keys) to text of the value;
// other keys go to other, when there is one.
func walkWire(v gjson.Result, p unsafe.Pointer, keys map[string]uintptr, text func(gjson.Result) string, other func(k string, v gjson.Result)) {
	v.ForEach(func(k, v gjson.Result) bool {
		if off, ok := keys[k.Str]; ok {
			*(*string)(unsafe.Add(p, off)) = text(v)
		} else if other != nil {
			other(k.Str, v)
		}
		return true
	})
}

// wireKeys maps each wire tag of struct type t to its field's offset.
func wireKeys(t reflect.Type) map[string]uintptr {
	m := map[string]uintptr{}
	for i := range t.NumField() {
		if key, ok := t.Field(i).Tag.Lookup("wire"); ok {
			m[key] = t.Field(i).Offset
		}
	}
	return m
}

func decodeSession(v gjson.Result) *Session {
	s := &Session{}
	walkWire(v, unsafe.Pointer(s), sessionKeys, gjson.Result.String, func(k string, v gjson.Result) {
		switch k {
		case "user":
			s.User = decodeUser(v)
		case "ip_address_details":
			walkWire(v, unsafe.Pointer(&s.Location), locationKeys, scalar, nil)
		}
	})
	return s
}

func decodeAPIKey(v gjson.Result) *APIKeyActor {
	k := &APIKeyActor{}
	walkWire(v, unsafe.Pointer(k), apiKeyKeys, gjson.Result.String, func(key string, v gjson.Result) {
		switch key {
		case "user":
			k.User = decodeUser(v)
		case "service_account":
			k.ServiceAccountID = v.Get("id").String()
		}
	})
	return k
}

func decodeUser(v gjson.Result) User {
	return User{ID: v.Get("id").String(), Email: v.Get("email").String()}
}

// scalar renders a string or number as text (the API sends both) and
// anything else as "".
func scalar(v gjson.Result) string {
	switch v.Type {
	case gjson.String:
		return v.Str
	case gjson.Number:
		return v.Raw
	}
	return ""
}

// RecordError says why one record was skipped and where it was.
type RecordError struct {
	Line   int // 1-based line in the input where the record starts; 0 if unknown
	Index  int // 0-based position of the record in its page or array; -1 if unknown
	Reason string
}

func (r RecordError) Error() string {
	switch {
	case r.Line > 0:
		return fmt.Sprintf("line %d: %s", r.Line, r.Reason)
	case r.Index >= 0:
		return fmt.Sprintf("record %d: %s", r.Index+1, r.Reason)
	}
	return r.Reason
}
