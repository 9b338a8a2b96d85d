package chart

import (
	"reflect"
	"testing"

	"factbot/knowledge"
)

// TestWordsInEveryLanguage: every word of a series answer and a chart
// exists in all five languages; a missing one fails here, not in front of
// a reader.
func TestWordsInEveryLanguage(t *testing.T) {
	for _, l := range knowledge.Langs {
		w, ok := wordsByLang[l]
		if !ok {
			t.Errorf("no series words in %s", l)
			continue
		}
		v := reflect.ValueOf(w)
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.Kind() == reflect.String && f.String() == "" {
				t.Errorf("series word %s is empty in %s", v.Type().Field(i).Name, l)
			}
		}
	}
	for unit, names := range unitNames {
		for _, l := range knowledge.Langs {
			if names[l] == "" {
				t.Errorf("unit %q has no name in %s", unit, l)
			}
		}
	}
}
