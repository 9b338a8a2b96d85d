package reply

import (
	"strings"

	"factbot/knowledge"
)

// Texts are the bot's fixed sentences in one language. "{bot}" stands for
// the bot's username.
type Texts struct {
	LangName string // the language's own name

	Start, Help, About string
	// AboutStats follows About: facts, documents, hash.
	AboutStats string

	TopicsTitle, TopicEmpty, Back string
	SourcesTitle                  string

	LangPrompt, LangAuto, LangSet, LangAutoSet, LangAdminOnly, LangUnknown string

	AskHowTo, UnknownCommand, NotText, GroupWelcome string
	Busy, Error, Expired, TryLater                  string

	MoreButton, SourcesButton, Thanks, AlreadyVoted, NoMore, MoreTitle string

	// Commands describes each command for setMyCommands, in menu order.
	Commands [][2]string
}

var allTexts = map[knowledge.Lang]*Texts{
	knowledge.EN: {
		LangName: "English",
		Start: "Hello! I answer questions about economic cooperation between Kazakhstan and China — trade, investment, transport corridors, energy, green technology, visas and tourism, agreements — from a curated base of sourced facts.\n\n" +
			"Just write a question, for example: China Kazakhstan trade 2023\n\nSee /help for groups and inline mode, or browse /topics.",
		Help: "How to ask:\n• In this chat: write your question in English, Russian, Kazakh, Chinese or French.\n" +
			"• In a group: /ask@{bot} your question, mention @{bot}, or reply to one of my messages.\n" +
			"• In any chat: type @{bot} and a few words, then pick a fact card.\n\n" +
			"Every answer gives the figure, its date and its sources. Where sources disagree, I show both figures.\n\n" +
			"/topics — browse facts by topic\n/sources — where the facts come from\n/lang — choose the reply language\n/about — about this bot",
		About:          "factbot answers from a curated, sourced knowledge base about Kazakhstan–China economic cooperation. It quotes figures exactly as its sources give them, says when sources disagree, and says so honestly when it does not know. It does not generate answers and does not keep your questions.",
		AboutStats:     "Knowledge base: {facts} facts, {docs} documents, version {hash}.",
		TopicsTitle:    "Choose a topic:",
		TopicEmpty:     "No facts on this topic yet.",
		Back:           "« Topics",
		SourcesTitle:   "Where the facts come from ({n} publishers):",
		LangPrompt:     "Choose the reply language. Now: {lang}.",
		LangAuto:       "Automatic",
		LangSet:        "From now on I answer in English.",
		LangAutoSet:    "From now on I answer in the language of each question.",
		LangAdminOnly:  "Only the group's admins can change its language.",
		LangUnknown:    "I don't know that language. Choose one of: en, ru, kk, zh, fr, auto.",
		AskHowTo:       "Ask me like this: /ask@{bot} China Kazakhstan trade 2023",
		UnknownCommand: "I don't know that command. Try /help.",
		NotText:        "I can only read text. Please write your question.",
		GroupWelcome:   "Hello! I answer questions about Kazakhstan–China economic cooperation. Ask with /ask@{bot} …, mention @{bot}, or reply to my messages.",
		Busy:           "You are asking faster than I can answer. I'll answer again in a minute.",
		Error:          "Sorry, something went wrong on my side. Please try again in a minute.",
		Expired:        "This answer has expired. Please ask again.",
		TryLater:       "Please try again in a minute.",
		MoreButton:     "More results",
		SourcesButton:  "Sources",
		Thanks:         "Thank you for the feedback!",
		AlreadyVoted:   "You have already rated this answer.",
		NoMore:         "No more results for this question.",
		MoreTitle:      "More results:",
		Commands: [][2]string{
			{"ask", "Ask a question"}, {"topics", "Browse facts by topic"}, {"sources", "Where the facts come from"},
			{"lang", "Choose the reply language"}, {"help", "How to ask"}, {"about", "About this bot"}, {"start", "Start"},
		},
	},
	knowledge.RU: {
		LangName: "Русский",
		Start: "Здравствуйте! Я отвечаю на вопросы об экономическом сотрудничестве Казахстана и Китая — торговля, инвестиции, транспортные коридоры, энергетика, зелёные технологии, визы и туризм, соглашения — по базе проверенных фактов с источниками.\n\n" +
			"Просто напишите вопрос, например: товарооборот Казахстана и Китая в 2023 году\n\nО группах и встроенном режиме — /help, темы — /topics.",
		Help: "Как спросить:\n• В этом чате: напишите вопрос на русском, казахском, английском, китайском или французском.\n" +
			"• В группе: /ask@{bot} ваш вопрос, упоминание @{bot} или ответ на моё сообщение.\n" +
			"• В любом чате: наберите @{bot} и пару слов, затем выберите карточку.\n\n" +
			"В каждом ответе — цифра, её дата и источники. Если источники расходятся, я показываю обе цифры.\n\n" +
			"/topics — факты по темам\n/sources — откуда факты\n/lang — язык ответов\n/about — о боте",
		About:          "factbot отвечает по проверенной базе знаний об экономическом сотрудничестве Казахстана и Китая. Он приводит цифры так, как их дают источники, говорит, когда источники расходятся, и честно признаётся, когда не знает ответа. Он не сочиняет ответы и не хранит ваши вопросы.",
		AboutStats:     "База знаний: фактов — {facts}, документов — {docs}, версия {hash}.",
		TopicsTitle:    "Выберите тему:",
		TopicEmpty:     "По этой теме пока нет фактов.",
		Back:           "« Темы",
		SourcesTitle:   "Откуда факты (издателей: {n}):",
		LangPrompt:     "Выберите язык ответов. Сейчас: {lang}.",
		LangAuto:       "Автоматически",
		LangSet:        "Теперь я отвечаю по-русски.",
		LangAutoSet:    "Теперь я отвечаю на языке каждого вопроса.",
		LangAdminOnly:  "Язык группы могут менять только её администраторы.",
		LangUnknown:    "Я не знаю такого языка. Выберите: en, ru, kk, zh, fr, auto.",
		AskHowTo:       "Спросите так: /ask@{bot} товарооборот Казахстана и Китая 2023",
		UnknownCommand: "Я не знаю такой команды. Попробуйте /help.",
		NotText:        "Я понимаю только текст. Напишите, пожалуйста, вопрос.",
		GroupWelcome:   "Здравствуйте! Я отвечаю на вопросы об экономическом сотрудничестве Казахстана и Китая. Спросите через /ask@{bot} …, упомяните @{bot} или ответьте на моё сообщение.",
		Busy:           "Вы спрашиваете быстрее, чем я успеваю отвечать. Я снова отвечу через минуту.",
		Error:          "Извините, у меня что-то пошло не так. Попробуйте через минуту.",
		Expired:        "Этот ответ устарел. Спросите, пожалуйста, ещё раз.",
		TryLater:       "Попробуйте через минуту.",
		MoreButton:     "Ещё результаты",
		SourcesButton:  "Источники",
		Thanks:         "Спасибо за отзыв!",
		AlreadyVoted:   "Вы уже оценили этот ответ.",
		NoMore:         "Больше результатов по этому вопросу нет.",
		MoreTitle:      "Ещё результаты:",
		Commands: [][2]string{
			{"ask", "Задать вопрос"}, {"topics", "Факты по темам"}, {"sources", "Откуда факты"},
			{"lang", "Язык ответов"}, {"help", "Как спросить"}, {"about", "О боте"}, {"start", "Начать"},
		},
	},
	knowledge.KK: {
		LangName: "Қазақша",
		Start: "Сәлеметсіз бе! Мен Қазақстан мен Қытайдың экономикалық ынтымақтастығы туралы — сауда, инвестиция, көлік дәліздері, энергетика, жасыл технологиялар, визалар мен туризм, келісімдер — дереккөзі көрсетілген тексерілген фактілер базасы бойынша сұрақтарға жауап беремін.\n\n" +
			"Сұрағыңызды жазыңыз, мысалы: 2023 жылғы Қазақстан мен Қытайдың тауар айналымы\n\nТоптар мен кірістірілген режим туралы — /help, тақырыптар — /topics.",
		Help: "Қалай сұрауға болады:\n• Осы чатта: сұрағыңызды қазақша, орысша, ағылшынша, қытайша немесе французша жазыңыз.\n" +
			"• Топта: /ask@{bot} сұрағыңыз, @{bot} деп атаңыз немесе менің хабарламама жауап беріңіз.\n" +
			"• Кез келген чатта: @{bot} және бірнеше сөз теріп, карточканы таңдаңыз.\n\n" +
			"Әр жауапта сан, оның мерзімі және дереккөздері бар. Дереккөздер әртүрлі болса, екі санды да көрсетемін.\n\n" +
			"/topics — тақырыптар бойынша фактілер\n/sources — фактілер қайдан алынған\n/lang — жауап тілі\n/about — бот туралы",
		About:          "factbot Қазақстан мен Қытайдың экономикалық ынтымақтастығы туралы тексерілген білім базасы бойынша жауап береді. Сандарды дереккөздер бергендей келтіреді, дереккөздер сәйкес келмесе айтады, білмесе шынын айтады. Ол жауап ойдан шығармайды және сұрақтарыңызды сақтамайды.",
		AboutStats:     "Білім базасы: {facts} факт, {docs} құжат, нұсқасы {hash}.",
		TopicsTitle:    "Тақырыпты таңдаңыз:",
		TopicEmpty:     "Бұл тақырып бойынша әзірге факт жоқ.",
		Back:           "« Тақырыптар",
		SourcesTitle:   "Фактілер қайдан алынған (баспагерлер саны: {n}):",
		LangPrompt:     "Жауап тілін таңдаңыз. Қазір: {lang}.",
		LangAuto:       "Автоматты",
		LangSet:        "Енді мен қазақша жауап беремін.",
		LangAutoSet:    "Енді мен әр сұрақтың тілінде жауап беремін.",
		LangAdminOnly:  "Топтың тілін тек оның әкімшілері өзгерте алады.",
		LangUnknown:    "Мен ондай тілді білмеймін. Таңдаңыз: en, ru, kk, zh, fr, auto.",
		AskHowTo:       "Былай сұраңыз: /ask@{bot} Қазақстан мен Қытайдың тауар айналымы 2023",
		UnknownCommand: "Мен ондай команданы білмеймін. /help көріңіз.",
		NotText:        "Мен тек мәтінді түсінемін. Сұрағыңызды жазыңыз.",
		GroupWelcome:   "Сәлеметсіз бе! Мен Қазақстан мен Қытайдың экономикалық ынтымақтастығы туралы сұрақтарға жауап беремін. /ask@{bot} … арқылы сұраңыз, @{bot} деп атаңыз немесе хабарламама жауап беріңіз.",
		Busy:           "Сіз мен жауап беріп үлгергеннен жылдам сұрап жатырсыз. Бір минуттан кейін қайта жауап беремін.",
		Error:          "Кешіріңіз, менде бірдеңе дұрыс болмады. Бір минуттан кейін қайталап көріңіз.",
		Expired:        "Бұл жауаптың мерзімі өтті. Қайта сұраңыз.",
		TryLater:       "Бір минуттан кейін қайталап көріңіз.",
		MoreButton:     "Тағы нәтижелер",
		SourcesButton:  "Дереккөздер",
		Thanks:         "Пікіріңізге рақмет!",
		AlreadyVoted:   "Сіз бұл жауапты бағалап қойдыңыз.",
		NoMore:         "Бұл сұрақ бойынша басқа нәтиже жоқ.",
		MoreTitle:      "Тағы нәтижелер:",
		Commands: [][2]string{
			{"ask", "Сұрақ қою"}, {"topics", "Тақырыптар бойынша фактілер"}, {"sources", "Фактілер қайдан алынған"},
			{"lang", "Жауап тілі"}, {"help", "Қалай сұрауға болады"}, {"about", "Бот туралы"}, {"start", "Бастау"},
		},
	},
	knowledge.ZH: {
		LangName: "中文",
		Start: "您好！我根据一个附有来源的事实库，回答有关哈萨克斯坦与中国经济合作的问题——贸易、投资、交通走廊、能源、绿色技术、签证与旅游、协议。\n\n" +
			"直接写下您的问题，例如：2023年中哈贸易额\n\n群组和内联模式的用法见 /help，按主题浏览见 /topics。",
		Help: "提问方式：\n• 在本对话中：用中文、英语、俄语、哈萨克语或法语写下问题。\n" +
			"• 在群组中：/ask@{bot} 加问题，提及 @{bot}，或回复我的消息。\n" +
			"• 在任何对话中：输入 @{bot} 和几个词，然后选择一张事实卡片。\n\n" +
			"每个回答都给出数据、日期和来源。来源不一致时，我会同时列出两个数据。\n\n" +
			"/topics — 按主题浏览\n/sources — 事实的来源\n/lang — 选择回答语言\n/about — 关于本机器人",
		About:          "factbot 根据一个经过整理、附有来源的哈中经济合作知识库作答。它按来源原样引用数据，在来源不一致时加以说明，不知道时如实相告。它不编造答案，也不保存您的问题。",
		AboutStats:     "知识库：{facts} 条事实，{docs} 份文件，版本 {hash}。",
		TopicsTitle:    "请选择主题：",
		TopicEmpty:     "该主题暂无事实。",
		Back:           "« 主题",
		SourcesTitle:   "事实来源（共 {n} 个发布方）：",
		LangPrompt:     "请选择回答语言。当前：{lang}。",
		LangAuto:       "自动",
		LangSet:        "从现在起我用中文回答。",
		LangAutoSet:    "从现在起我用每个问题的语言回答。",
		LangAdminOnly:  "只有群管理员可以更改群组语言。",
		LangUnknown:    "我不认识这种语言。请选择：en、ru、kk、zh、fr、auto。",
		AskHowTo:       "请这样提问：/ask@{bot} 2023年中哈贸易额",
		UnknownCommand: "我不认识这个命令。请试试 /help。",
		NotText:        "我只能读文字，请写下您的问题。",
		GroupWelcome:   "大家好！我回答有关哈萨克斯坦与中国经济合作的问题。请用 /ask@{bot} …、提及 @{bot} 或回复我的消息来提问。",
		Busy:           "您提问的速度超过了我回答的速度，一分钟后我会继续回答。",
		Error:          "抱歉，我这边出了点问题，请一分钟后再试。",
		Expired:        "这个回答已过期，请重新提问。",
		TryLater:       "请一分钟后再试。",
		MoreButton:     "更多结果",
		SourcesButton:  "来源",
		Thanks:         "感谢您的反馈！",
		AlreadyVoted:   "您已经评价过这个回答。",
		NoMore:         "这个问题没有更多结果了。",
		MoreTitle:      "更多结果：",
		Commands: [][2]string{
			{"ask", "提问"}, {"topics", "按主题浏览"}, {"sources", "事实的来源"},
			{"lang", "选择回答语言"}, {"help", "如何提问"}, {"about", "关于本机器人"}, {"start", "开始"},
		},
	},
	knowledge.FR: {
		LangName: "Français",
		Start: "Bonjour ! Je réponds aux questions sur la coopération économique entre le Kazakhstan et la Chine — commerce, investissements, corridors de transport, énergie, technologies vertes, visas et tourisme, accords — à partir d'une base de faits sourcés.\n\n" +
			"Écrivez simplement votre question, par exemple : commerce Chine Kazakhstan 2023\n\nVoir /help pour les groupes et le mode inline, ou parcourez /topics.",
		Help: "Comment poser une question :\n• Dans ce chat : écrivez votre question en français, anglais, russe, kazakh ou chinois.\n" +
			"• Dans un groupe : /ask@{bot} votre question, mentionnez @{bot} ou répondez à l'un de mes messages.\n" +
			"• Dans n'importe quel chat : tapez @{bot} et quelques mots, puis choisissez une fiche.\n\n" +
			"Chaque réponse donne le chiffre, sa date et ses sources. Quand les sources divergent, je montre les deux chiffres.\n\n" +
			"/topics — parcourir par thème\n/sources — d'où viennent les faits\n/lang — langue des réponses\n/about — à propos du bot",
		About:          "factbot répond à partir d'une base de connaissances vérifiée et sourcée sur la coopération économique entre le Kazakhstan et la Chine. Il cite les chiffres tels que ses sources les donnent, signale quand elles divergent et dit honnêtement quand il ne sait pas. Il n'invente pas de réponses et ne conserve pas vos questions.",
		AboutStats:     "Base de connaissances : {facts} faits, {docs} documents, version {hash}.",
		TopicsTitle:    "Choisissez un thème :",
		TopicEmpty:     "Pas encore de faits sur ce thème.",
		Back:           "« Thèmes",
		SourcesTitle:   "D'où viennent les faits ({n} éditeurs) :",
		LangPrompt:     "Choisissez la langue des réponses. Actuellement : {lang}.",
		LangAuto:       "Automatique",
		LangSet:        "Désormais, je réponds en français.",
		LangAutoSet:    "Désormais, je réponds dans la langue de chaque question.",
		LangAdminOnly:  "Seuls les administrateurs du groupe peuvent changer sa langue.",
		LangUnknown:    "Je ne connais pas cette langue. Choisissez : en, ru, kk, zh, fr, auto.",
		AskHowTo:       "Demandez-moi ainsi : /ask@{bot} commerce Chine Kazakhstan 2023",
		UnknownCommand: "Je ne connais pas cette commande. Essayez /help.",
		NotText:        "Je ne lis que le texte. Écrivez votre question, s'il vous plaît.",
		GroupWelcome:   "Bonjour ! Je réponds aux questions sur la coopération économique entre le Kazakhstan et la Chine. Demandez avec /ask@{bot} …, mentionnez @{bot} ou répondez à mes messages.",
		Busy:           "Vous posez des questions plus vite que je ne peux répondre. Je répondrai de nouveau dans une minute.",
		Error:          "Désolé, un problème est survenu de mon côté. Réessayez dans une minute.",
		Expired:        "Cette réponse a expiré. Posez la question de nouveau.",
		TryLater:       "Réessayez dans une minute.",
		MoreButton:     "Plus de résultats",
		SourcesButton:  "Sources",
		Thanks:         "Merci pour votre avis !",
		AlreadyVoted:   "Vous avez déjà évalué cette réponse.",
		NoMore:         "Pas d'autres résultats pour cette question.",
		MoreTitle:      "Plus de résultats :",
		Commands: [][2]string{
			{"ask", "Poser une question"}, {"topics", "Parcourir par thème"}, {"sources", "D'où viennent les faits"},
			{"lang", "Langue des réponses"}, {"help", "Comment poser une question"}, {"about", "À propos du bot"}, {"start", "Commencer"},
		},
	},
}

// TextsFor returns the sentences in l, or English.
func TextsFor(l knowledge.Lang) *Texts {
	if t, ok := allTexts[l]; ok {
		return t
	}
	return allTexts[knowledge.EN]
}

// Fill replaces {name} placeholders in s.
func Fill(s string, kv ...string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		s = strings.ReplaceAll(s, "{"+kv[i]+"}", kv[i+1])
	}
	return s
}
