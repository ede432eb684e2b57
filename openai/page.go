package openai

import (
	"errors"

	"github.com/tidwall/gjson"

	"github.com/auditui/auditui/model"
)

// decodePage reads one list response until model.DecodePage exists: each
// record is decoded once by model.DecodeEvent; a bad record is skipped and
// reported, a bad envelope fails the page.
func decodePage(body []byte) (model.Page, error) {
	if !gjson.ValidBytes(body) {
		return model.Page{}, errors.New("the body is not valid JSON")
	}
	doc := gjson.ParseBytes(body)
	data := doc.Get("data")
	if !doc.IsObject() || !data.IsArray() {
		return model.Page{}, errors.New(`the body is not an audit-log list (no "data" array)`)
	}
	p := model.Page{FirstID: doc.Get("first_id").String(), LastID: doc.Get("last_id").String(), HasMore: doc.Get("has_more").Bool()}
	i := 0
	data.ForEach(func(_, v gjson.Result) bool {
		raw := body[v.Index : v.Index+len(v.Raw) : v.Index+len(v.Raw)]
		e, err := model.DecodeEvent(raw)
		if err != nil {
			p.Skipped = append(p.Skipped, model.RecordError{Index: i, Reason: err.Error()})
		} else {
			p.Events = append(p.Events, e)
		}
		i++
		return true
	})
	return p, nil
}
