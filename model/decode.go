package model

import (
	"bytes"
	"errors"
	"fmt"
	"math"
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
	var payloadAt, payloadLen int
	var actor, project gjson.Result
	// One pass over the top-level keys; the payload key is only known once
	// "type" has been seen, so candidates are checked after the loop.
	var others []gjson.Result
	var otherKeys []string
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
			others = append(others, v)
			otherKeys = append(otherKeys, k.Str)
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
	for i, k := range otherKeys {
		if k == e.Type && others[i].Type != gjson.Null {
			payloadAt, payloadLen = others[i].Index, len(others[i].Raw)
			e.Payload = raw[payloadAt : payloadAt+payloadLen : payloadAt+payloadLen]
			break
		}
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
	a := Actor{Kind: ActorKind(v.Get("type").String())}
	if s := v.Get("session"); s.IsObject() {
		d := s.Get("ip_address_details")
		a.Session = &Session{
			User:      decodeUser(s.Get("user")),
			IPAddress: s.Get("ip_address").String(),
			UserAgent: s.Get("user_agent").String(),
			JA3:       s.Get("ja3").String(),
			JA4:       s.Get("ja4").String(),
			Location: Location{
				Country:    scalar(d.Get("country")),
				City:       scalar(d.Get("city")),
				Region:     scalar(d.Get("region")),
				RegionCode: scalar(d.Get("region_code")),
				ASN:        scalar(d.Get("asn")),
				Latitude:   scalar(d.Get("latitude")),
				Longitude:  scalar(d.Get("longitude")),
			},
		}
		if a.Kind == ActorNone {
			a.Kind = ActorSession
		}
	}
	if k := v.Get("api_key"); k.IsObject() {
		a.APIKey = &APIKeyActor{
			ID:               k.Get("id").String(),
			Type:             k.Get("type").String(),
			User:             decodeUser(k.Get("user")),
			ServiceAccountID: k.Get("service_account.id").String(),
		}
		if a.Kind == ActorNone {
			a.Kind = ActorAPIKey
		}
	}
	return a
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
