package reply

import (
	"reflect"
	"strconv"
	"testing"

	"factbot/knowledge"
)

// missingStrings lists the empty strings of a label struct (and of its
// string slices and arrays), by field name.
func missingStrings(v reflect.Value, path string) []string {
	var out []string
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return []string{path}
		}
		return missingStrings(v.Elem(), path)
	case reflect.String:
		if v.String() == "" {
			out = append(out, path)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() && f.Type != reflect.TypeOf(knowledge.Lang("")) {
				out = append(out, missingStrings(v.Field(i), path+"."+f.Name)...)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			out = append(out, missingStrings(v.Index(i), path+"["+strconv.Itoa(i)+"]")...)
		}
	}
	return out
}

// TestLabelsInEveryLanguage: every label of an answer (As of, Sources, no
// link recorded, Related, the "not sure" tier, disagreements …) and every
// sentence and button of the bot exists in all five languages, and the
// command menu has as many entries in each.
func TestLabelsInEveryLanguage(t *testing.T) {
	for _, l := range knowledge.Langs {
		lb, ok := labels[l]
		if !ok {
			t.Errorf("no answer labels in %s", l)
		}
		for _, m := range missingStrings(reflect.ValueOf(lb), "Labels") {
			t.Errorf("%s is empty in %s", m, l)
		}
		tx, ok := allTexts[l]
		if !ok {
			t.Errorf("no bot texts in %s", l)
			continue
		}
		for _, m := range missingStrings(reflect.ValueOf(tx), "Texts") {
			t.Errorf("%s is empty in %s", m, l)
		}
		if len(tx.Commands) != len(allTexts[knowledge.EN].Commands) {
			t.Errorf("the command menu has %d entries in %s, %d in en", len(tx.Commands), l, len(allTexts[knowledge.EN].Commands))
		}
	}
}

// TestMissingLabelFails: the check above sees an empty label.
func TestMissingLabelFails(t *testing.T) {
	lb := labels[knowledge.FR]
	lb.URLNotRecorded = ""
	if got := missingStrings(reflect.ValueOf(lb), "Labels"); len(got) != 1 || got[0] != "Labels.URLNotRecorded" {
		t.Errorf("missingStrings = %v, want [Labels.URLNotRecorded]", got)
	}
}
