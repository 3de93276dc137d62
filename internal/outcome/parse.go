package outcome

import (
	"encoding/json"
	"strconv"

	"unknot/internal/valid"
)

// Parse reads a measurement from the API's JSON body:
//
//	{"occasion":"start"|"recheck", "pain":0-10,
//	 "activities":[{"name":"…","score":0-10}, …], "global_change":-7…7}
//
// strictly: unknown or repeated fields and wrong types are named by their
// path, as Validate names values out of range against the history h.
// "activities" are by slot, as in Input.
func Parse(data []byte, h History) (Input, error) {
	data, err := valid.Document("body", data)
	if err != nil {
		return Input{}, err
	}
	var (
		in Input
		r  valid.Reader
	)
	r.Object("", data, func(name, path string, v json.RawMessage) bool {
		switch name {
		case "occasion":
			in.Occasion = Occasion(r.String(path, v, "must be a string"))
		case "pain":
			in.Pain = r.OptWhole(path, v)
		case "global_change":
			in.Global = r.OptWhole(path, v)
		case "activities":
			for i, a := range r.Array(path, v) {
				var rated Rated
				at := path + "[" + strconv.Itoa(i) + "]"
				r.Object(at, a, func(name, path string, v json.RawMessage) bool {
					switch name {
					case "name":
						rated.Name = r.String(path, v, "must be a string")
					case "score":
						rated.Score = r.OptWhole(path, v)
					default:
						return false
					}
					return true
				})
				in.Activities = append(in.Activities, rated)
			}
		default:
			return false
		}
		return true
	})
	r.Merge(in.Validate(h))
	if len(r.Errors) > 0 {
		return Input{}, r.Errors
	}
	return in, nil
}
