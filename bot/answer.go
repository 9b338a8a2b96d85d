package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"factbot/knowledge"
)

// Searcher finds the facts and passages that answer a question. index.Live
// implements it; bot never sees Bleve.
type Searcher interface {
	Search(ctx context.Context, q knowledge.Query) (knowledge.Result, error)
}

// MaxRelated is how many related facts an answer shows under the best one,
// and MaxClosest how many facts an unsure reply shows.
const (
	MaxRelated = 2
	MaxClosest = 3
)

// Reply is an answer with no Telegram in it: the best hit, related hits and
// whatever else the search returned, in the reply language.
type Reply struct {
	Question string
	Lang     knowledge.Lang
	// Tier is how sure the reply is: the answer (Answered, Best, Related,
	// More), the closest facts when unsure (Closest), or none.
	Tier     knowledge.Tier
	Answered bool
	// Newest is set when the question asked for a period the base has no
	// figure for, in relative words ("last year"), and the reply gives the
	// newest there is: that period.
	Newest  string
	Best    knowledge.Hit
	Related []knowledge.Hit
	More    []knowledge.Hit // further hits, for "more results"
	// Closest are the facts shown when unsure, best first.
	Closest []knowledge.Hit
	// Fallback is set when some text is shown in English because it is
	// missing in Lang.
	Fallback bool
	Result   knowledge.Result
}

// Answerer turns a question into a Reply. The Telegram adapter and the
// console commands share it.
type Answerer struct {
	Searcher Searcher
}

// Answer searches for question and builds the reply. lang forces the reply
// language (empty: detect it); hint breaks ties in detection. An error is
// returned only when the search itself failed; "no answer" is a Reply with
// Answered false.
func (a *Answerer) Answer(ctx context.Context, question string, lang, hint knowledge.Lang) (Reply, error) {
	res, err := a.Searcher.Search(ctx, knowledge.Query{Text: question, Lang: lang, Hint: hint, Size: 8})
	if err != nil {
		return Reply{}, fmt.Errorf("answer %q: %w", truncate(question, 80), err)
	}
	r := Reply{Question: question, Lang: res.Lang, Tier: res.Tier, Answered: res.Answered && len(res.Hits) > 0, Result: res,
		Newest: res.Newest}
	if r.Tier == "" || len(res.Hits) == 0 {
		r.Tier = knowledge.TierNone
		if r.Answered {
			r.Tier = knowledge.TierAnswer
		}
	}
	if r.Tier == knowledge.TierClosest {
		r.Closest = distinct(res.Hits, MaxClosest)
		for _, h := range r.Closest {
			r.Fallback = r.Fallback || h.Fallback
		}
		return r, nil
	}
	if !r.Answered {
		r.Newest = ""
		return r, nil
	}
	r.Best = res.Hits[0]
	r.Fallback = r.Best.Fallback
	seen := map[string]bool{r.Best.ID: true}
	if r.Best.Passage != nil {
		seen[r.Best.Passage.DocID] = true
	}
	for _, h := range res.Hits[1:] {
		key := h.ID
		if h.Passage != nil {
			key = h.Passage.DocID // one passage per document is enough
		}
		if seen[key] || restates(h, r.Best) {
			continue
		}
		seen[key] = true
		if len(r.Related) < MaxRelated {
			r.Related = append(r.Related, h)
		} else {
			r.More = append(r.More, h)
		}
	}
	return r, nil
}

// distinct returns up to n hits, one per fact and one per document.
func distinct(hs []knowledge.Hit, n int) []knowledge.Hit {
	var out []knowledge.Hit
	seen := map[string]bool{}
	for _, h := range hs {
		key := h.ID
		if h.Passage != nil {
			key = h.Passage.DocID
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, h)
		if len(out) == n {
			break
		}
	}
	return out
}

// restates reports whether h is a briefing paragraph drawn from the fact
// best: it would only say the answer again.
func restates(h, best knowledge.Hit) bool {
	return best.Fact != nil && h.Document != nil && slices.Contains(h.Document.Facts, best.ID)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Labels are the fixed words of an answer, per language.
type Labels struct {
	// Lang is the labels' language: notes of figures and sources are
	// shown in it too.
	Lang                                                                              knowledge.Lang
	NoAnswer, Fallback, Figures, AsOf, Sources, Related, Differ, URLNotRecorded, From string
	// NotSure opens an unsure reply, before the closest facts.
	NotSure string
	// Newest opens a reply that gives the newest figure instead of the
	// period asked; %s is that period.
	Newest string
}

var labels = map[knowledge.Lang]Labels{
	knowledge.EN: {
		NoAnswer: "I don't know that yet. I answer questions about Kazakhstan–China economic cooperation: trade, investment, transport, energy, green technology, visas, agreements. Try /topics.",
		Fallback: "(Not yet available in your language; shown in English.)",
		Figures:  "Figures", AsOf: "As of", Sources: "Sources", Related: "Related",
		Differ: "Why the figures differ", URLNotRecorded: "no link recorded", From: "From",
		NotSure: "I'm not sure I have exactly this. The closest facts I have:",
		Newest:  "I have no figure for that period yet. The latest figure I have is for %s:",
	},
	knowledge.RU: {
		NoAnswer: "Пока не знаю ответа. Я отвечаю на вопросы об экономическом сотрудничестве Казахстана и Китая: торговля, инвестиции, транспорт, энергетика, зелёные технологии, визы, соглашения. Попробуйте /topics.",
		Fallback: "(Пока нет на вашем языке; показано на английском.)",
		Figures:  "Цифры", AsOf: "По состоянию на", Sources: "Источники", Related: "См. также",
		Differ: "Почему цифры расходятся", URLNotRecorded: "ссылка не записана", From: "Из",
		NotSure: "Не уверен, что у меня есть именно это. Ближайшие факты, которые я знаю:",
		Newest:  "За этот период данных у меня пока нет. Последние данные — за %s:",
	},
	knowledge.KK: {
		NoAnswer: "Бұл сұрақтың жауабын әзірге білмеймін. Мен Қазақстан мен Қытайдың экономикалық ынтымақтастығы туралы сұрақтарға жауап беремін: сауда, инвестиция, көлік, энергетика, жасыл технологиялар, визалар, келісімдер. /topics көріңіз.",
		Fallback: "(Сіздің тіліңізде әзірге жоқ; ағылшынша көрсетілді.)",
		Figures:  "Сандар", AsOf: "Мерзімі", Sources: "Дереккөздер", Related: "Қатысты",
		Differ: "Сандар неге әртүрлі", URLNotRecorded: "сілтеме жазылмаған", From: "Дереккөз",
		NotSure: "Дәл осы мәлімет менде бар екеніне сенімді емеспін. Ең жақын деректер:",
		Newest:  "Бұл кезең бойынша деректер менде әзірге жоқ. Ең соңғы деректер — %s бойынша:",
	},
	knowledge.ZH: {
		NoAnswer: "我暂时还不知道这个问题的答案。我可以回答有关哈萨克斯坦与中国经济合作的问题：贸易、投资、交通、能源、绿色技术、签证、协议。请试试 /topics。",
		Fallback: "（暂无您的语言版本，以英文显示。）",
		Figures:  "数据", AsOf: "截至", Sources: "来源", Related: "相关",
		Differ: "数据为何不同", URLNotRecorded: "未记录链接", From: "出自",
		NotSure: "我不确定是否有恰好符合的信息。最接近的事实如下：",
		Newest:  "我还没有该时期的数据。我掌握的最新数据截至%s：",
	},
	knowledge.FR: {
		NoAnswer: "Je ne le sais pas encore. Je réponds aux questions sur la coopération économique entre le Kazakhstan et la Chine : commerce, investissements, transport, énergie, technologies vertes, visas, accords. Essayez /topics.",
		Fallback: "(Pas encore disponible dans votre langue ; affiché en anglais.)",
		Figures:  "Chiffres", AsOf: "À la date de", Sources: "Sources", Related: "Voir aussi",
		Differ: "Pourquoi les chiffres diffèrent", URLNotRecorded: "lien non enregistré", From: "Extrait de",
		NotSure: "Je ne suis pas sûr d'avoir exactement cela. Les faits les plus proches :",
		Newest:  "Je n'ai pas encore de chiffre pour cette période. Le plus récent dont je dispose date de %s :",
	},
}

// LabelsFor returns the labels in l, or English.
func LabelsFor(l knowledge.Lang) Labels {
	lb, ok := labels[l]
	if !ok {
		l, lb = knowledge.EN, labels[knowledge.EN]
	}
	lb.Lang = l
	return lb
}

// FormatPeriod renders an as-of period for people: "2018-01..2018-09"
// becomes "2018-01 – 2018-09".
func FormatPeriod(p string) string { return strings.ReplaceAll(p, "..", " – ") }

// FormatSource renders one source on a line: publisher, title, date, its
// note in the labels' language, link. A source without a link whose note
// says so gets the label for "no link recorded" instead of the note.
func FormatSource(s knowledge.Source, lb Labels) (text, url string) {
	parts := []string{s.Publisher}
	if s.Title != "" {
		parts = append(parts, "«"+s.Title+"»")
	}
	if s.Date != "" {
		parts = append(parts, s.Date)
	}
	// The English note is the one to test: it is the one curators write
	// first and the one the phrase is fixed in.
	if s.URL == "" && strings.Contains(strings.ToLower(s.Note[knowledge.EN]), "url not recorded") {
		parts = append(parts, lb.URLNotRecorded)
	} else if note, _ := s.Note.In(lb.Lang); note != "" {
		parts = append(parts, note)
	}
	return strings.Join(parts, ", "), s.URL
}

// impliedUnits are units a figure's value already shows ("$41 billion", "32%").
var impliedUnits = map[string]bool{"USD": true, "CNY": true, "KZT": true, "EUR": true, "RUB": true, "%": true}

// FormatFigure renders a figure: value and unit, then when, who gives it and
// its note in lang (English when the note has no text in lang).
func FormatFigure(f knowledge.Figure, lang knowledge.Lang) string {
	var b strings.Builder
	b.WriteString(f.Value)
	if f.Unit != "" && !impliedUnits[f.Unit] && !strings.Contains(f.Value, f.Unit) {
		b.WriteString(" " + f.Unit)
	}
	var meta []string
	if f.Date != "" {
		meta = append(meta, FormatPeriod(f.Date))
	}
	if f.By != "" {
		meta = append(meta, f.By)
	}
	if note, _ := f.Note.In(lang); note != "" {
		meta = append(meta, note)
	}
	if len(meta) > 0 {
		b.WriteString(" (" + strings.Join(meta, "; ") + ")")
	}
	return b.String()
}
