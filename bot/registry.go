package bot

import (
	"context"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"

	"factbot/bot/reply"
	"factbot/knowledge"
)

// seen records that the bot heard from chat (a message, or being added):
// the bot is in it. With a Store the registry keeps every group; without
// one only private chats are marked active again.
func (b *Bot) seen(ctx context.Context, c *tgbotapi.Chat) {
	if c == nil {
		return
	}
	var err error
	switch {
	case b.store != nil:
		err = b.store.Seen(ctx, c.ID, c.Type, c.Title)
	case c.Type == "private":
		err = b.chats.SetActive(ctx, c.ID, true, "")
	}
	if err != nil {
		b.log.Error("record chat", zap.Int64("chat", c.ID), zap.Error(err))
	}
}

// optTexts are the replies to /announcements, per language.
type optTexts struct{ Off, On, AdminOnly, Usage, GroupOnly string }

var allOptTexts = map[knowledge.Lang]optTexts{
	knowledge.EN: {
		Off:       "Announcements are off in this group. An admin can turn them back on with /announcements on.",
		On:        "Announcements are on in this group.",
		AdminOnly: "Only the group's admins can turn announcements on or off.",
		Usage:     "Use /announcements off or /announcements on.",
		GroupOnly: "Announcements go to groups only: send /announcements off or on in the group.",
	},
	knowledge.RU: {
		Off:       "Объявления в этой группе отключены. Администратор может включить их снова: /announcements on.",
		On:        "Объявления в этой группе включены.",
		AdminOnly: "Включать и отключать объявления могут только администраторы группы.",
		Usage:     "Напишите /announcements off или /announcements on.",
		GroupOnly: "Объявления приходят только в группы: отправьте /announcements off или on в группе.",
	},
	knowledge.KK: {
		Off:       "Бұл топта хабарландырулар өшірілді. Әкімші оларды қайта қоса алады: /announcements on.",
		On:        "Бұл топта хабарландырулар қосулы.",
		AdminOnly: "Хабарландыруларды тек топ әкімшілері қосып-өшіре алады.",
		Usage:     "/announcements off немесе /announcements on деп жазыңыз.",
		GroupOnly: "Хабарландырулар тек топтарға жіберіледі: /announcements off не on командасын топта жіберіңіз.",
	},
	knowledge.ZH: {
		Off:       "本群已关闭公告。管理员可用 /announcements on 重新开启。",
		On:        "本群已开启公告。",
		AdminOnly: "只有群管理员可以开启或关闭公告。",
		Usage:     "请使用 /announcements off 或 /announcements on。",
		GroupOnly: "公告只发往群组：请在群里发送 /announcements off 或 on。",
	},
	knowledge.FR: {
		Off:       "Les annonces sont désactivées dans ce groupe. Un administrateur peut les réactiver avec /announcements on.",
		On:        "Les annonces sont activées dans ce groupe.",
		AdminOnly: "Seuls les administrateurs du groupe peuvent activer ou désactiver les annonces.",
		Usage:     "Utilisez /announcements off ou /announcements on.",
		GroupOnly: "Les annonces ne vont qu'aux groupes : envoyez /announcements off ou on dans le groupe.",
	},
}

func optTextsFor(l knowledge.Lang) optTexts {
	if t, ok := allOptTexts[l]; ok {
		return t
	}
	return allOptTexts[knowledge.EN]
}

// onAnnouncements handles /announcements off|on in a group: only its own
// admins (asked with getChatMember), an anonymous admin, or a bot admin
// may change it.
func (b *Bot) onAnnouncements(ctx context.Context, r request, arg string) {
	t := optTextsFor(b.uiLang(ctx, r.chat, r.m.From))
	if r.private {
		b.reply(ctx, r, t.GroupOnly)
		return
	}
	var on bool
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "on":
		on = true
	case "off":
	default:
		b.reply(ctx, r, t.Usage)
		return
	}
	if !r.admin && !b.isChatAdmin(ctx, r.chat, r.user) {
		b.reply(ctx, r, t.AdminOnly)
		return
	}
	if b.store == nil {
		b.log.Warn("/announcements without a store", zap.Int64("chat", r.chat))
		b.reply(ctx, r, reply.TextsFor(b.uiLang(ctx, r.chat, r.m.From)).Error)
		return
	}
	if err := b.store.SetAnnouncements(ctx, r.chat, on); err != nil {
		b.log.Error("set announcements", zap.Int64("chat", r.chat), zap.Error(err))
		b.reply(ctx, r, reply.TextsFor(b.uiLang(ctx, r.chat, r.m.From)).Error)
		return
	}
	b.log.Info("announcements setting", zap.Int64("chat", r.chat), zap.Bool("on", on))
	if on {
		b.reply(ctx, r, t.On)
	} else {
		b.reply(ctx, r, t.Off)
	}
}
