package knowledge

import (
	"strings"
	"unicode/utf8"
)

// Question understanding folds further than Fold, so that the thesaurus
// meets a question however it was typed in a chat:
//
//   - Kazakh letters become the Russian ones a Russian keyboard puts in
//     their place (мұнай → мунай, өңдеу → ондеу, қытай → кытай);
//   - common Traditional Chinese characters become Simplified (貿易額 → 贸易额).
//
// Every replacement has the same UTF-8 length as the original, so offsets
// into a Fold-ed text stay valid in its question fold.

// kazakhTwins maps each Kazakh letter (lower case, after Fold) to its
// Russian-keyboard twin.
var kazakhTwins = map[rune]rune{'ә': 'а', 'ғ': 'г', 'қ': 'к', 'ң': 'н', 'ө': 'о', 'ұ': 'у', 'ү': 'у', 'һ': 'х', 'і': 'и'}

// traditional lists Traditional characters, each followed by its Simplified
// form: the ones questions about trade, transport, energy and diplomacy use.
const traditional = "貿贸額额總总進进資资會会議议協协國国際际鐵铁運运輸输貨货車车電电廠厂風风陽阳氣气廣广學学華华夥伙關关係系與与對对於于從从這这個个們们來来時时間间為为區区邊边經经濟济發发業业產产權权購购買买價价錢钱數数據据記记錄录統统計计億亿萬万噸吨遊游簽签證证護护飛飞機机線线條条約约聲声組组織织團团羅罗爾尔蘇苏聯联農农糧粮麥麦麵面銷销項项務务術术網网絡络設设備备裝装櫃柜歐欧亞亚陸陆礦矿煉炼採采態态環环標标準准島岛灣湾門门倉仓儲储橋桥場场開开稅税幣币匯汇銀银齊齐書书長长東东員员號号幾几麼么還还沒没嗎吗裡里後后牽牵頭头課课輛辆種种類类兩两點点處处變变趨趋勢势歷历較较並并將将讓让說说話话請请問问題题認认識识現现參参觀观覽览專专屆届談谈聞闻報报導导領领習习訪访鄰邻稱称鋼钢鋁铝銅铜鈾铀橫横薩萨蘭兰烏乌魯鲁達达納纳轉转鏈链營营噸吨"

var simplified = func() map[rune]rune {
	m := map[rune]rune{}
	rs := []rune(traditional)
	for i := 0; i+1 < len(rs); i += 2 {
		if _, ok := m[rs[i]]; !ok && utf8.RuneLen(rs[i]) == utf8.RuneLen(rs[i+1]) {
			m[rs[i]] = rs[i+1]
		}
	}
	return m
}()

// twinFloor is the smallest letter with a question-fold twin: the letters
// below it (ASCII, Latin, the Russian alphabet) stay as they are, without
// a lookup.
var twinFloor = func() rune {
	floor := rune(utf8.MaxRune)
	for _, m := range []map[rune]rune{kazakhTwins, simplified} {
		for r := range m {
			floor = min(floor, r)
		}
	}
	return floor
}()

// questionTwin returns the letter r becomes in the question fold.
func questionTwin(r rune) (rune, bool) {
	if r < twinFloor {
		return r, false
	}
	if t, ok := kazakhTwins[r]; ok {
		return t, true
	}
	t, ok := simplified[r]
	return t, ok
}

// questionFold maps an already Fold-ed text to its question fold, which has
// the same length and word boundaries. It returns s itself when nothing
// changes.
func questionFold(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool {
		_, ok := questionTwin(r)
		return ok
	})
	if i < 0 {
		return s
	}
	b := []byte(s)
	for j, r := range s[i:] {
		if t, ok := questionTwin(r); ok {
			utf8.EncodeRune(b[i+j:], t)
		}
	}
	return string(b)
}

// qfold is Fold followed by questionFold: how thesaurus words and cues are
// compiled.
func qfold(s string) string { return questionFold(Fold(s)) }

// KeyboardFold is Fold, then Kazakh letters written as a Russian keyboard
// types them (қытай → кытай) and common Traditional Chinese characters as
// Simplified: how the index reads Kazakh, so that a question typed without
// Kazakh letters meets the text written with them.
func KeyboardFold(s string) string { return qfold(s) }
