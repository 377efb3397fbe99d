package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(map[string]string{"TELEGRAM_TOKEN": "123:abc"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Mode != "polling" || c.Retention != 30*24*time.Hour || !c.ProtectContent ||
		c.TelegramAPIURL != "https://api.telegram.org" || c.RedisURL != "" || c.PollTimeout != 25*time.Second {
		t.Errorf("defaults: %+v", c)
	}
}

func TestErrorsSayWhatToDo(t *testing.T) {
	cases := map[string]struct {
		env  map[string]string
		want string
	}{
		"no token":       {map[string]string{}, "TELEGRAM_TOKEN is missing"},
		"bad token":      {map[string]string{"TELEGRAM_TOKEN": "nocolon"}, "does not look like a token"},
		"webhook no url": {map[string]string{"TELEGRAM_TOKEN": "1:a", "MODE": "webhook", "WEBHOOK_SECRET": "s"}, "needs WEBHOOK_URL"},
		"webhook no sec": {map[string]string{"TELEGRAM_TOKEN": "1:a", "MODE": "webhook", "WEBHOOK_URL": "https://x.org/h"}, "needs WEBHOOK_SECRET"},
		"webhook http":   {map[string]string{"TELEGRAM_TOKEN": "1:a", "MODE": "webhook", "WEBHOOK_URL": "http://x.org/h", "WEBHOOK_SECRET": "s"}, "https://"},
		"bad secret":     {map[string]string{"TELEGRAM_TOKEN": "1:a", "MODE": "webhook", "WEBHOOK_URL": "https://x.org/h", "WEBHOOK_SECRET": "a b"}, "WEBHOOK_SECRET"},
		"bad mode":       {map[string]string{"TELEGRAM_TOKEN": "1:a", "MODE": "push"}, "choose polling or webhook"},
		"bad retention":  {map[string]string{"TELEGRAM_TOKEN": "1:a", "RETENTION": "30 days"}, "RETENTION"},
		"bad redis":      {map[string]string{"TELEGRAM_TOKEN": "1:a", "REDIS_URL": "localhost:6379"}, "REDIS_URL"},
		"bad level":      {map[string]string{"TELEGRAM_TOKEN": "1:a", "LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		"bad protect":    {map[string]string{"TELEGRAM_TOKEN": "1:a", "PROTECT_CONTENT": "maybe"}, "PROTECT_CONTENT"},
		"bad api url":    {map[string]string{"TELEGRAM_TOKEN": "1:a", "TELEGRAM_API_URL": "nowhere"}, "TELEGRAM_API_URL"},
		"bad group":      {map[string]string{"TELEGRAM_TOKEN": "1:a", "VOLUNTEER_CHAT_ID": "12345"}, "negative number"},
		"bad hours":      {map[string]string{"TELEGRAM_TOKEN": "1:a", "VOLUNTEER_HOURS": "lundi 9h"}, "VOLUNTEER_HOURS"},
		"anonymous adm":  {map[string]string{"TELEGRAM_TOKEN": "1:a", "ADMIN_IDS": "42,1087968824"}, "ADMIN_IDS"},
		"bad metrics":    {map[string]string{"TELEGRAM_TOKEN": "1:a", "METRICS_ADDR": "9090"}, "METRICS_ADDR"},
		"job at 2 am":    {map[string]string{"TELEGRAM_TOKEN": "1:a", "JOB_PURGE": "30 2 * * *"}, "JOB_PURGE"},
	}
	for name, tc := range cases {
		_, err := Load(env(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want it to mention %q", name, err, tc.want)
		}
	}
}

func TestWebhookConfigAccepted(t *testing.T) {
	_, err := Load(env(map[string]string{"TELEGRAM_TOKEN": "1:a", "MODE": "webhook",
		"WEBHOOK_URL": "https://bot.example.org/tg", "WEBHOOK_SECRET": "s3cr3t_-X"}))
	if err != nil {
		t.Fatal(err)
	}
}

// The README documents every variable, with its default.
func TestReadmeDocumentsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Vars {
		row := "| `" + v.Name + "` |"
		if v.Default != "" {
			row += " `" + v.Default + "` |"
		}
		if !strings.Contains(string(readme), row) {
			t.Errorf("README.md has no row %q", row)
		}
	}
}
