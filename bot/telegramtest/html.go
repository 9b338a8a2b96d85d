package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// MaxMessageLen is Telegram's limit on a message's text after entity parsing,
// in UTF-16 code units.
const MaxMessageLen = 4096

// UTF16Len returns the length of s in UTF-16 code units, the way Telegram
// counts message length and entity offsets.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// tagEntity maps the tags Telegram's HTML parse mode allows to entity types.
var tagEntity = map[string]string{
	"b": "bold", "strong": "bold",
	"i": "italic", "em": "italic",
	"u": "underline", "ins": "underline",
	"s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
	"a":          "text_link",
	"code":       "code",
	"pre":        "pre",
	"tg-spoiler": "spoiler",
	"span":       "spoiler", // only with class="tg-spoiler"
	"blockquote": "blockquote",
	"tg-emoji":   "custom_emoji",
}

// ParseHTML parses text the way the Bot API parses parse_mode=HTML: only the
// tags Telegram supports, properly nested and closed, and only the entities
// &lt; &gt; &amp; &quot; and numeric ones. It returns the plain text and its
// entities (offsets in UTF-16 units), or an error worded like Telegram's
// "can't parse entities" description.
func ParseHTML(text string) (string, []tgbotapi.MessageEntity, error) {
	type open struct {
		name   string
		offset int // UTF-16 offset in the plain text
		href   string
		at     int // byte offset in text
	}
	var (
		plain    strings.Builder
		plainLen int
		stack    []open
		entities []tgbotapi.MessageEntity
	)
	bad := func(format string, args ...any) (string, []tgbotapi.MessageEntity, error) {
		return "", nil, fmt.Errorf("can't parse entities: "+format, args...)
	}
	write := func(s string) {
		plain.WriteString(s)
		plainLen += UTF16Len(s)
	}
	for i := 0; i < len(text); {
		c := text[i]
		switch c {
		case '&':
			end := strings.IndexByte(text[i:], ';')
			if end < 0 || end > 12 {
				return bad("character '&' at byte offset %d does not start an entity; escape it as &amp;", i)
			}
			name := text[i+1 : i+end]
			switch {
			case name == "lt":
				write("<")
			case name == "gt":
				write(">")
			case name == "amp":
				write("&")
			case name == "quot":
				write(`"`)
			case strings.HasPrefix(name, "#x") || strings.HasPrefix(name, "#X"):
				n, err := strconv.ParseUint(name[2:], 16, 32)
				if err != nil || !utf8.ValidRune(rune(n)) || n == 0 {
					return bad("invalid numeric entity %q at byte offset %d", "&"+name+";", i)
				}
				write(string(rune(n)))
			case strings.HasPrefix(name, "#"):
				n, err := strconv.ParseUint(name[1:], 10, 32)
				if err != nil || !utf8.ValidRune(rune(n)) || n == 0 {
					return bad("invalid numeric entity %q at byte offset %d", "&"+name+";", i)
				}
				write(string(rune(n)))
			default:
				return bad("unsupported HTML entity %q at byte offset %d", "&"+name+";", i)
			}
			i += end + 1
		case '<':
			end := strings.IndexByte(text[i:], '>')
			if end < 0 {
				return bad("unclosed start tag at byte offset %d", i)
			}
			tag := text[i+1 : i+end]
			if strings.HasPrefix(tag, "/") {
				name := strings.ToLower(strings.TrimSpace(tag[1:]))
				if len(stack) == 0 {
					return bad("unexpected end tag at byte offset %d", i)
				}
				top := stack[len(stack)-1]
				if top.name != name {
					return bad("can't find end tag corresponding to start tag %q", top.name)
				}
				stack = stack[:len(stack)-1]
				if typ := tagEntity[name]; typ != "" && plainLen > top.offset {
					entities = append(entities, tgbotapi.MessageEntity{Type: typ, Offset: top.offset, Length: plainLen - top.offset, URL: top.href})
				}
				i += end + 1
				continue
			}
			name, attrs, err := parseTag(tag)
			if err != nil {
				return bad("%v at byte offset %d", err, i)
			}
			if _, ok := tagEntity[name]; !ok {
				return bad("unsupported start tag %q at byte offset %d", name, i)
			}
			o := open{name: name, offset: plainLen, at: i}
			switch name {
			case "a":
				href, ok := attrs["href"]
				if !ok || href == "" {
					return bad("tag \"a\" at byte offset %d has no href", i)
				}
				h, _, err := ParseHTML(href) // entities in the attribute value
				if err != nil {
					return bad("bad href at byte offset %d: %v", i, err)
				}
				o.href = h
			case "span":
				if attrs["class"] != "tg-spoiler" {
					return bad("tag \"span\" must have class \"tg-spoiler\" at byte offset %d", i)
				}
			}
			for _, s := range stack {
				if s.name == "a" && name == "a" {
					return bad("nested links at byte offset %d", i)
				}
			}
			stack = append(stack, o)
			i += end + 1
		default:
			r, size := utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && size == 1 {
				return "", nil, fmt.Errorf("text must be encoded in UTF-8")
			}
			write(text[i : i+size])
			i += size
		}
	}
	if len(stack) > 0 {
		return bad("can't find end tag corresponding to start tag %q", stack[len(stack)-1].name)
	}
	return plain.String(), entities, nil
}

// parseTag splits the inside of a start tag into its lower-case name and
// attributes, rejecting what is not well formed.
func parseTag(tag string) (string, map[string]string, error) {
	tag = strings.TrimSuffix(tag, "/")
	i := 0
	for i < len(tag) && (isNameChar(tag[i])) {
		i++
	}
	if i == 0 {
		return "", nil, fmt.Errorf("empty tag name")
	}
	name := strings.ToLower(tag[:i])
	attrs := map[string]string{}
	rest := tag[i:]
	for {
		rest = strings.TrimLeft(rest, " \t\n")
		if rest == "" {
			return name, attrs, nil
		}
		j := 0
		for j < len(rest) && isNameChar(rest[j]) {
			j++
		}
		if j == 0 {
			return "", nil, fmt.Errorf("malformed attribute in tag %q", name)
		}
		key := strings.ToLower(rest[:j])
		rest = strings.TrimLeft(rest[j:], " \t\n")
		if !strings.HasPrefix(rest, "=") {
			attrs[key] = ""
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t\n")
		if rest == "" {
			return "", nil, fmt.Errorf("attribute %q has no value", key)
		}
		var val string
		if q := rest[0]; q == '"' || q == '\'' {
			k := strings.IndexByte(rest[1:], q)
			if k < 0 {
				return "", nil, fmt.Errorf("unclosed attribute value")
			}
			val, rest = rest[1:1+k], rest[2+k:]
		} else {
			k := strings.IndexAny(rest, " \t\n")
			if k < 0 {
				k = len(rest)
			}
			val, rest = rest[:k], rest[k:]
		}
		attrs[key] = val
	}
}

func isNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}
