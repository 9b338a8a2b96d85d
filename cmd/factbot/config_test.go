package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func validConfig() Config {
	return Config{
		Token: "123456:ABC-def_GHI", APIURL: "https://api.telegram.org",
		LogFormat: "json", LogLevel: "info", Limits: "telegram",
	}
}

func TestConfigValidate(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(*Config)
		want   string // "" = valid; else a substring naming the setting
	}{
		{"valid", func(c *Config) {}, ""},
		{"everything", func(c *Config) {
			c.Admins, c.DataDir, c.KnowledgeDir = []int64{1, 2}, filepath.Join(dir, "new"), dir
			c.HTTPAddr, c.WebhookURL, c.WebhookSecret = ":8443", "https://bot.example.com/tg", "s3cret_-X"
			c.LogFormat, c.LogLevel, c.Limits = "console", "debug", "off"
		}, ""},
		{"local fake over http", func(c *Config) { c.APIURL = "http://127.0.0.1:8081" }, ""},
		{"loopback webhook over http", func(c *Config) { c.HTTPAddr, c.WebhookURL = "127.0.0.1:0", "http://localhost:9000/hook" }, ""},
		{"no token", func(c *Config) { c.Token = "" }, "FACTBOT_TOKEN (--token): not set"},
		{"malformed token", func(c *Config) { c.Token = "not a token" }, "FACTBOT_TOKEN (--token): not a bot token"},
		{"negative admin", func(c *Config) { c.Admins = []int64{-5} }, "FACTBOT_ADMINS (--admins)"},
		{"data dir is a file", func(c *Config) { c.DataDir = file }, "FACTBOT_DATA_DIR (--data-dir)"},
		{"knowledge dir missing", func(c *Config) { c.KnowledgeDir = filepath.Join(dir, "nope") }, "FACTBOT_KNOWLEDGE_DIR (--knowledge)"},
		{"api url scheme", func(c *Config) { c.APIURL = "ftp://api.telegram.org" }, "FACTBOT_API_URL (--api-url)"},
		{"api url empty", func(c *Config) { c.APIURL = "" }, "FACTBOT_API_URL (--api-url)"},
		{"api url no host", func(c *Config) { c.APIURL = "https://" }, "FACTBOT_API_URL (--api-url)"},
		{"api url with token path", func(c *Config) { c.APIURL = "https://api.telegram.org/bot123:x" }, "without /bot<token>"},
		{"api url with query", func(c *Config) { c.APIURL = "https://api.telegram.org/?a=1" }, "FACTBOT_API_URL"},
		{"http addr", func(c *Config) { c.HTTPAddr = "8080" }, "FACTBOT_HTTP_ADDR (--http-addr)"},
		{"http addr port", func(c *Config) { c.HTTPAddr = ":99999" }, "FACTBOT_HTTP_ADDR"},
		{"webhook over http", func(c *Config) { c.HTTPAddr, c.WebhookURL = ":8443", "http://bot.example.com/tg" }, "FACTBOT_WEBHOOK_URL (--webhook-url)"},
		{"webhook without listener", func(c *Config) { c.WebhookURL = "https://bot.example.com/tg" }, "FACTBOT_HTTP_ADDR"},
		{"secret without webhook", func(c *Config) { c.WebhookSecret = "abc" }, "FACTBOT_WEBHOOK_SECRET (--webhook-secret)"},
		{"secret charset", func(c *Config) {
			c.HTTPAddr, c.WebhookURL, c.WebhookSecret = ":8443", "https://bot.example.com/tg", "has space"
		}, "FACTBOT_WEBHOOK_SECRET"},
		{"log format", func(c *Config) { c.LogFormat = "xml" }, "FACTBOT_LOG_FORMAT"},
		{"log level", func(c *Config) { c.LogLevel = "verbose" }, "FACTBOT_LOG_LEVEL"},
		{"limits", func(c *Config) { c.Limits = "none" }, "FACTBOT_LIMITS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := validConfig()
			tc.change(&c)
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate() = %v, want an error naming %q", err, tc.want)
			case err != nil && strings.Contains(err.Error(), c.Token) && c.Token != "":
				t.Errorf("Validate() shows the token: %v", err)
			}
		})
	}
}

func TestLoadConfigEnvAndFlags(t *testing.T) {
	envs := map[string]string{
		"FACTBOT_TOKEN":   "42:from-env",
		"FACTBOT_ADMINS":  "1, 2,3",
		"FACTBOT_API_URL": "http://127.0.0.1:9/",
	}
	e := &env{stderr: io.Discard, getenv: func(k string) string { return envs[k] }}
	c, err := loadConfig(e, []string{"--api-url", "https://api.example.com", "--log-level", "debug"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Token != "42:from-env" || !slices.Equal(c.Admins, []int64{1, 2, 3}) || c.APIURL != "https://api.example.com" || c.LogLevel != "debug" || c.LogFormat != "auto" {
		t.Errorf("loadConfig = %+v", c)
	}

	envs["FACTBOT_ADMINS"] = "1,abc"
	_, err = loadConfig(e, nil)
	if err == nil || !strings.Contains(err.Error(), `FACTBOT_ADMINS (--admins): "abc" is not a numeric Telegram user id`) {
		t.Errorf("bad admins: %v", err)
	}
	envs["FACTBOT_ADMINS"] = ""
	_, err = loadConfig(e, []string{"extra"})
	if !errors.Is(err, errUsage) {
		t.Errorf("extra argument: %v, want a usage error", err)
	}
}

func TestServeBadConfigStopsStartup(t *testing.T) {
	t.Setenv("FACTBOT_TOKEN", "1:x")
	t.Setenv("FACTBOT_API_URL", "ftp://example.com")
	code, _, stderr := run(t, "", "serve")
	if code == 0 || !strings.Contains(stderr, "FACTBOT_API_URL (--api-url)") {
		t.Errorf("serve with a bad API URL: exit %d, stderr %q", code, stderr)
	}
	t.Setenv("FACTBOT_TOKEN", "")
	t.Setenv("FACTBOT_API_URL", "")
	code, _, stderr = run(t, "", "serve")
	if code == 0 || !strings.Contains(stderr, "FACTBOT_TOKEN (--token): not set") {
		t.Errorf("serve without a token: exit %d, stderr %q", code, stderr)
	}
}
