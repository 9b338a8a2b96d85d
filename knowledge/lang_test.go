package knowledge

import "testing"

func TestDetectLang(t *testing.T) {
	for _, tc := range []struct {
		text string
		hint Lang
		want Lang
	}{
		{"How many Chinese companies operate in Kazakhstan?", "", EN},
		{"trade kz china 2023", "", EN},
		{"Combien d'entreprises chinoises au Kazakhstan ?", "", FR},
		{"échanges Chine Kazakhstan 2023", "", FR},
		{"commerce Kazakhstan 2023", FR, FR},        // no evidence either way: the hint decides
		{"commerce kazakhstan russie 2024", "", FR}, // keywords only: a French-only word decides
		{"meteo a almaty ce week-end", "", FR},
		{"visiteurs icbc horgos 2016", "", FR},
		{"kazakhstan china gas pipeline capacity", "", EN},
		{"commerce Chine Kazakhstan", "", FR}, // "Chine" is French only
		{"commerce Kazakhstan", "", EN},       // no evidence: the default
		{"Сколько китайских компаний работает в Казахстане?", "", RU},
		{"Қазақстанда қанша қытай компаниясы жұмыс істейді?", "", KK},
		{"Хоргос туралы", "", KK},     // no Kazakh letters, but a Kazakh word
		{"товарооборот 2023", KK, KK}, // hint breaks the tie
		{"товарооборот 2023", "", RU}, // default for Cyrillic
		{"中哈贸易额是多少？", "", ZH},
		{"Khorgos 霍尔果斯", "", ZH},
		{"2023", RU, RU},
		{"2023", "", EN},
		{"", "", EN},
	} {
		if got := DetectLang(tc.text, tc.hint); got != tc.want {
			t.Errorf("DetectLang(%q, %q) = %q, want %q", tc.text, tc.hint, got, tc.want)
		}
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"ru": RU, "ru-RU": RU, "zh-hans": ZH, "KK": KK, "de": "", "": ""} {
		if got := ParseLang(in); got != want {
			t.Errorf("ParseLang(%q) = %q, want %q", in, got, want)
		}
	}
}
