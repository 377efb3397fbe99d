package admin

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/boussole/boussole/internal/conversation"
	"github.com/boussole/boussole/internal/delivery"
	"github.com/boussole/boussole/internal/flow"
	"github.com/boussole/boussole/internal/i18n"
	"github.com/boussole/boussole/internal/publish"
	"github.com/boussole/boussole/internal/redisstore"
)

// EditorSender is what the editor needs of Telegram.
type EditorSender interface {
	SendNow(ctx context.Context, chat int64, it delivery.Item) (int, error)
	SendDocument(ctx context.Context, chat int64, name string, data []byte, caption string) (int, error)
	Answer(ctx context.Context, callbackID, text string, alert bool) error
	Download(ctx context.Context, fileID string, max int64) ([]byte, error)
}

// Editor lets the coordinators change the tree and the directory from
// their phone: upload or edit a text, check it, try it in their own chat,
// publish it to every replica, roll back. Its commands answer nobody else:
// anyone else's "/flux" or YAML file is an ordinary message of theirs.
type Editor struct {
	Admins  []int64
	Names   map[int64]string // how an admin appears in the journal; "admin …1234" otherwise
	Library *publish.Library
	Store   *redisstore.Versions
	Sender  EditorSender
	Bundle  *i18n.Bundle
	Log     zerolog.Logger
	Now     func() time.Time
}

// commands are the editor's; an admin's other messages go to their own
// conversation, unless they are answering the editor or trying a draft.
var commands = []string{"flux", "modifier", "verifie", "versions", "restaurer", "journal",
	"traductions", "ressources", "quitter_essai", "annuler"}

// callbackPrefix marks the editor's buttons.
const callbackPrefix = "adm:"

// session is what the editor remembers of one admin between messages,
// stored with their draft (it expires with it).
type session struct {
	Await *await      `json:"a,omitempty"` // the next message is a new text for this
	Trial *flow.State `json:"t,omitempty"` // walking the draft in their chat
}

type await struct {
	Res   bool   `json:"r,omitempty"` // a service of the directory, else a screen
	ID    string `json:"i"`
	Field string `json:"f,omitempty"`
	Lang  string `json:"l"`
}

// Owns reports whether the update is the editor's: an admin's command or
// button, a document an admin sends, or an admin's message while the
// editor waits for a text or a draft is being tried.
func (e *Editor) Owns(u conversation.Update) bool {
	if e == nil || !u.Private || !slices.Contains(e.Admins, u.From) {
		return false
	}
	switch u.Kind {
	case conversation.KindButton:
		if strings.HasPrefix(u.Data, callbackPrefix) {
			return true
		}
	case conversation.KindText:
		if cmd, _, ok := commandOf(u.Text); ok && slices.Contains(commands, cmd) {
			return true
		}
	case conversation.KindOther:
		if u.Media == "document" {
			return true
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, s, ok := e.load(ctx, u.From)
	return ok && (s.Await != nil || s.Trial != nil)
}

// Handle answers one update of an admin. Problems reach the admin as words;
// nothing they do ever changes what is live unless they publish.
func (e *Editor) Handle(ctx context.Context, u conversation.Update) (conversation.Result, error) {
	a := e.as(u)
	if u.Kind == conversation.KindButton {
		_ = e.Sender.Answer(ctx, u.CallbackID, "", false)
		if strings.HasPrefix(u.Data, callbackPrefix) {
			e.button(ctx, a, strings.Split(strings.TrimPrefix(u.Data, callbackPrefix), ":"))
			return conversation.Result{Outcome: "admin"}, nil
		}
	}
	if cmd, arg, ok := commandOf(u.Text); ok && u.Kind == conversation.KindText && slices.Contains(commands, cmd) {
		e.command(ctx, a, cmd, arg)
		return conversation.Result{Outcome: "admin"}, nil
	}
	if u.Kind == conversation.KindOther && u.Media == "document" {
		e.upload(ctx, a, u)
		return conversation.Result{Outcome: "admin"}, nil
	}
	d, s, ok := e.load(ctx, u.From)
	switch {
	case ok && s.Await != nil && u.Kind == conversation.KindText:
		e.newText(ctx, a, d, s, u.Text)
	case ok && s.Trial != nil:
		e.trialStep(ctx, a, d, s, u)
	case ok && s.Await != nil:
		a.say(ctx, "admin_edit_want_text", nil)
	}
	return conversation.Result{Outcome: "admin"}, nil
}

func (e *Editor) command(ctx context.Context, a actor, cmd, arg string) {
	switch cmd {
	case "flux":
		e.flux(ctx, a)
	case "modifier":
		e.modify(ctx, a, arg)
	case "verifie":
		e.verify(ctx, a, arg)
	case "versions":
		e.versions(ctx, a)
	case "restaurer":
		e.restore(ctx, a, arg)
	case "journal":
		e.journal(ctx, a)
	case "traductions":
		e.translations(ctx, a)
	case "ressources":
		e.resources(ctx, a)
	case "quitter_essai":
		e.quitTrial(ctx, a)
	case "annuler":
		e.cancel(ctx, a)
	}
}

func (e *Editor) button(ctx context.Context, a actor, p []string) {
	arg := func(i int) string {
		if i < len(p) {
			return p[i]
		}
		return ""
	}
	switch p[0] {
	case "get":
		e.sendLive(ctx, a, arg(1))
	case "try":
		e.startTrial(ctx, a)
	case "pub":
		e.publish(ctx, a, arg(1) == "force")
	case "drop":
		e.cancel(ctx, a)
	case "what":
		e.modify(ctx, a, arg(1))
	case "page":
		e.screens(ctx, a, atoi(arg(1)))
	case "svc":
		e.services(ctx, a, atoi(arg(1)))
	case "node":
		e.chooseLang(ctx, a, false, arg(1), "")
	case "res":
		e.chooseField(ctx, a, arg(1))
	case "field":
		e.chooseLang(ctx, a, true, arg(1), arg(2))
	case "lang":
		e.askText(ctx, a, arg(1) == "r", arg(2), arg(3), arg(4))
	}
}

// actor is the admin an update came from, with their language.
type actor struct {
	e    *Editor
	id   int64
	chat int64
	lang string
}

func (e *Editor) as(u conversation.Update) actor {
	lang := "fr"
	if strings.HasPrefix(strings.ToLower(u.Lang), "ar") {
		lang = "ar"
	}
	return actor{e: e, id: u.From, chat: u.Chat, lang: lang}
}

func (a actor) t(id string, data map[string]string) string { return a.e.Bundle.T(a.lang, id, data) }

// say sends the admin one of the editor's sentences.
func (a actor) say(ctx context.Context, id string, data map[string]string, buttons ...[]flow.Button) {
	a.send(ctx, a.t(id, data), buttons...)
}

// send sends text, cut to Telegram's length, the buttons under the last part.
func (a actor) send(ctx context.Context, text string, buttons ...[]flow.Button) {
	now := a.e.Now()
	for _, it := range conversation.Items(conversation.Reply{Text: text, Buttons: buttons, Lang: a.lang}, now,
		delivery.Item{}) {
		if _, err := a.e.Sender.SendNow(ctx, a.chat, it); err != nil {
			a.e.Log.Warn().Str("error", "admin answer not sent").Msg("admin: editor")
			return
		}
	}
}

// name is how an admin appears in the journal.
func (e *Editor) name(id int64) string {
	if n := e.Names[id]; n != "" {
		return n
	}
	s := itoa64(id)
	if len(s) > 4 {
		s = "…" + s[len(s)-4:]
	}
	return "admin " + s
}

// load reads an admin's draft and session; ok is false when there is none
// (or Redis does not answer: the admin is told when they act).
func (e *Editor) load(ctx context.Context, admin int64) (redisstore.Draft, session, bool) {
	d, ok, err := e.Store.LoadDraft(ctx, admin)
	if err != nil || !ok {
		return redisstore.Draft{}, session{}, false
	}
	var s session
	if len(d.Trial) > 0 {
		_ = json.Unmarshal(d.Trial, &s)
	}
	return d, s, true
}

// save stores the draft with the session.
func (e *Editor) save(ctx context.Context, a actor, d redisstore.Draft, s session) bool {
	d.Trial, _ = json.Marshal(s)
	if err := e.Store.SaveDraft(ctx, a.id, d); err != nil {
		a.say(ctx, "admin_store_down", nil)
		return false
	}
	return true
}

// fresh is a draft of what is live now, for an edit to start from.
func (e *Editor) fresh() redisstore.Draft {
	cur := e.Library.Current()
	return redisstore.Draft{Flow: cur.Flow, Resources: cur.Resources, FlowFile: cur.FlowFile, Base: cur.N}
}

// commandOf splits "/cmd arg".
func commandOf(text string) (cmd, arg string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	cmd, arg, _ = strings.Cut(strings.TrimSpace(text[1:]), " ")
	return strings.ToLower(cmd), strings.TrimSpace(arg), cmd != ""
}
