package knowledge

// Topic is one of the fixed subjects every fact belongs to, for browsing.
type Topic struct {
	ID   string
	Name Text
}

// Topics is the fixed list of topics, in the order they are offered.
var Topics = []Topic{
	{"trade", Text{EN: "Trade", RU: "Торговля", KK: "Сауда", ZH: "贸易", FR: "Commerce"}},
	{"investment", Text{EN: "Investment and joint projects", RU: "Инвестиции и совместные проекты", KK: "Инвестициялар және бірлескен жобалар", ZH: "投资与合作项目", FR: "Investissements et projets communs"}},
	{"transport", Text{EN: "Transport and logistics", RU: "Транспорт и логистика", KK: "Көлік және логистика", ZH: "交通与物流", FR: "Transport et logistique"}},
	{"energy", Text{EN: "Oil, gas and uranium", RU: "Нефть, газ и уран", KK: "Мұнай, газ және уран", ZH: "石油、天然气与铀", FR: "Pétrole, gaz et uranium"}},
	{"green", Text{EN: "Green technology and industry", RU: "Зелёные технологии и промышленность", KK: "Жасыл технологиялар және өнеркәсіп", ZH: "绿色技术与工业", FR: "Technologies vertes et industrie"}},
	{"visas-tourism", Text{EN: "Visas and tourism", RU: "Визы и туризм", KK: "Визалар және туризм", ZH: "签证与旅游", FR: "Visas et tourisme"}},
	{"diplomacy", Text{EN: "Diplomacy and agreements", RU: "Дипломатия и соглашения", KK: "Дипломатия және келісімдер", ZH: "外交与协议", FR: "Diplomatie et accords"}},
	{"education", Text{EN: "Education and culture", RU: "Образование и культура", KK: "Білім және мәдениет", ZH: "教育与文化", FR: "Éducation et culture"}},
	{"central-asia", Text{EN: "China and Central Asia", RU: "Китай и Центральная Азия", KK: "Қытай және Орталық Азия", ZH: "中国与中亚", FR: "La Chine et l'Asie centrale"}},
	{"events", Text{EN: "Forums and fairs", RU: "Форумы и выставки", KK: "Форумдар мен көрмелер", ZH: "论坛与展会", FR: "Forums et salons"}},
}

// TopicByID returns the topic with the given id and whether it exists.
func TopicByID(id string) (Topic, bool) {
	for _, t := range Topics {
		if t.ID == id {
			return t, true
		}
	}
	return Topic{}, false
}
