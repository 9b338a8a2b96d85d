package knowledge

import (
	"reflect"
	"testing"
)

func TestMatcher(t *testing.T) {
	m := NewMatcher([]Alias{
		{ID: "kazakhstan", Forms: []string{"Kazakhstan", "Qazaqstan", "KZ", "Казахстан*", "Қазақстан*", "哈萨克斯坦"}},
		{ID: "bri", Forms: []string{"Belt and Road", "BRI", "Пояс и путь", "一带一路", "Nouvelle route de la soie"}},
		{ID: "khorgos", Forms: []string{"Khorgos", "Horgos", "Хоргос*", "Қорғас*", "霍尔果斯"}},
		{ID: "usd", Forms: []string{"$", "доллар*"}},
		{ID: "road", Forms: []string{"road"}},
		{ID: "prc", Forms: []string{"ҚХР"}},
		{ID: "rk", Forms: []string{"ҚР"}},
	})
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"trade in Kazakhstan", []string{"kazakhstan"}},
		{"QAZAQSTAN trade", []string{"kazakhstan"}},
		{"в Казахстане и Казахстана", []string{"kazakhstan"}},
		{"Қазақстанның саудасы", []string{"kazakhstan"}},
		{"哈萨克斯坦与中国的贸易", []string{"kazakhstan"}},
		{"the Belt and Road in KZ", []string{"bri", "kazakhstan"}}, // longest match wins over "road"
		{"the road to Horgos", []string{"road", "khorgos"}},
		{"инициатива «Пояс и путь»", []string{"bri"}},
		{"la Nouvelle Route de la Soie", []string{"bri"}},
		{"一带一路和霍尔果斯", []string{"bri", "khorgos"}},
		{"в Хоргосе", []string{"khorgos"}},
		{"$41 billion, 41 млрд долларов", []string{"usd"}},
		{"kazakh", nil}, // a prefix of a form is not the form
		{"Казакстаннын саудасы", []string{"kazakhstan"}}, // Kazakh typed on a Russian keyboard
		{"коргаска барамыз", []string{"khorgos"}},
		{"кхр мен сауда", []string{"prc"}},
		{"КР и РК", nil}, // ҚР typed without Қ would be the Kyrgyz Republic's КР: not read so
	} {
		if got := m.IDs(tc.text); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("IDs(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
	// Spans point at the original text, whatever folding did.
	text := "Énergie à Хоргосе"
	for _, a := range m.Find(text) {
		if got := text[a.Start:a.End]; got != "Хоргосе" {
			t.Errorf("Find(%q) span = %q, want %q", text, got, "Хоргосе")
		}
	}
}
