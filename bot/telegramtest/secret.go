package telegramtest

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Spellings returns the ways a server, a proxy or a log encoder may echo a
// token "id:secret": as is, its secret part alone, in upper and lower
// case, URL-escaped (in either case of hex, wholly or partly, twice),
// with JSON, Go and HTML escapes. Tests put them in error bodies and check
// with ShowsSecret that none comes out.
func Spellings(token string) []string {
	_, secret, _ := strings.Cut(token, ":")
	each := func(f func(c byte) string) string {
		var b strings.Builder
		for i := 0; i < len(secret); i++ {
			b.WriteString(f(secret[i]))
		}
		return b.String()
	}
	q := url.QueryEscape(token) // 123456%3AAA…
	return []string{
		token,
		secret,
		strings.ToUpper(secret),
		strings.ToLower(secret),
		"/bot" + token + "/getMe",
		q,
		strings.ToLower(q), // 123456%3aaa…, as some proxies write URLs
		url.PathEscape(token),
		each(func(c byte) string { return fmt.Sprintf("%%%02X", c) }),
		each(func(c byte) string { return fmt.Sprintf("%%%02x", c) }),
		each(func(c byte) string { return fmt.Sprintf("%%25%02x", c) }), // escaped twice
		each(func(c byte) string { // every other character escaped
			if c%2 == 0 {
				return fmt.Sprintf("%%%02X", c)
			}
			return string(c)
		}),
		each(func(c byte) string { return fmt.Sprintf(`\u%04x`, c) }),
		each(func(c byte) string { return fmt.Sprintf(`\u%04X`, c) }),
		each(func(c byte) string { return fmt.Sprintf(`\\u%04x`, c) }), // JSON in JSON
		each(func(c byte) string { // every other character escaped, the rest as is
			if c%2 == 1 {
				return fmt.Sprintf(`\u%04X`, c)
			}
			return string(c)
		}),
		each(func(c byte) string { return fmt.Sprintf(`\U%08x`, c) }),
		each(func(c byte) string { return fmt.Sprintf(`\x%02x`, c) }),
		each(func(c byte) string { return fmt.Sprintf("&#%d;", c) }),
		each(func(c byte) string { return fmt.Sprintf("&#x%X;", c) }),
		each(func(c byte) string { return fmt.Sprintf("&amp;#%d;", c) }),  // escaped for HTML twice
		each(func(c byte) string { return fmt.Sprintf(`\u0026#%d;`, c) }), // then for JSON
	}
}

var (
	unicodeEscape = regexp.MustCompile(`\\+(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2}))`)
	percentEscape = regexp.MustCompile(`%([0-9a-fA-F]{2})`)
)

// ShowsSecret reports whether text shows the secret part of token in any
// spelling: it undoes HTML, JSON, Go and URL escapes until nothing
// changes, then looks for the secret in any case.
func ShowsSecret(text, token string) bool {
	_, secret, _ := strings.Cut(token, ":")
	if secret == "" {
		return false
	}
	unhex := func(h string) string {
		v, err := strconv.ParseUint(h, 16, 32)
		if err != nil {
			return h
		}
		return string(rune(v))
	}
	for {
		next := html.UnescapeString(text)
		next = unicodeEscape.ReplaceAllStringFunc(next, func(m string) string {
			g := unicodeEscape.FindStringSubmatch(m)
			return unhex(g[1] + g[2] + g[3])
		})
		next = percentEscape.ReplaceAllStringFunc(next, func(m string) string { return unhex(m[1:]) })
		if next == text {
			break
		}
		text = next
	}
	return strings.Contains(strings.ToLower(text), strings.ToLower(secret))
}
