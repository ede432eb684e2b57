package history

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/tidwall/gjson"
)

// Text renders a JSON value for one line: strings unquoted (an empty one as
// ""), lists of scalars joined with ", " (an empty one as []), anything else
// as compact JSON. It is not sanitised.
func Text(raw json.RawMessage) string {
	if raw == nil {
		return "(unknown)"
	}
	x := gjson.ParseBytes(raw)
	switch x.Type {
	case gjson.String:
		if x.Str == "" {
			return `""`
		}
		return x.Str
	case gjson.Number:
		return x.Raw
	case gjson.True, gjson.False, gjson.Null:
		return x.Raw
	}
	if items := elements(x); x.IsArray() && len(items) > 0 && allScalars(items) {
		return strings.Join(texts(items), ", ")
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}

func allScalars(items []gjson.Result) bool {
	for _, it := range items {
		if it.IsObject() || it.IsArray() {
			return false
		}
	}
	return true
}

func isList(raw json.RawMessage) bool {
	return len(raw) > 0 && gjson.ParseBytes(raw).IsArray()
}

func elements(x gjson.Result) []gjson.Result {
	if !x.IsArray() {
		return nil
	}
	return x.Array()
}

func texts(items []gjson.Result) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = itemText(it)
	}
	return out
}

func itemText(it gjson.Result) string {
	if it.Type == gjson.String {
		return it.Str
	}
	return Text(json.RawMessage(it.Raw))
}

// diff returns the items of after missing from before, and of before
// missing from after, each in its list's order.
func diff(before, after []gjson.Result) (added, removed []string) {
	return missing(after, before), missing(before, after)
}

func missing(from, in []gjson.Result) []string {
	have := make(map[string]bool, len(in))
	for _, it := range in {
		have[itemText(it)] = true
	}
	var out []string
	for _, it := range from {
		if t := itemText(it); !have[t] {
			out = append(out, t)
			have[t] = true
		}
	}
	return out
}

// applyDelta adds items to list (or removes them) and returns the new list
// as JSON, with what really moved.
func applyDelta(list, items []gjson.Result, add bool) (next json.RawMessage, added, removed []string) {
	have := make(map[string]bool, len(list)+len(items))
	for _, it := range list {
		have[itemText(it)] = true
	}
	var kept []gjson.Result
	if add {
		kept = append(kept, list...)
		for _, it := range items {
			if t := itemText(it); !have[t] {
				have[t] = true
				kept = append(kept, it)
				added = append(added, t)
			}
		}
	} else {
		gone := make(map[string]bool, len(items))
		for _, it := range items {
			gone[itemText(it)] = true
		}
		for _, it := range list {
			if t := itemText(it); gone[t] {
				removed = append(removed, t)
			} else {
				kept = append(kept, it)
			}
		}
	}
	b := []byte{'['}
	for i, it := range kept {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it.Raw...)
	}
	return append(b, ']'), added, removed
}

// sameJSON reports whether two values are equal as JSON.
func sameJSON(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
