package reply

import "factbot/knowledge"

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
