// Package telegramtest is an in-process fake of the Telegram Bot API for
// tests and benchmarks.
//
// A [Server] wraps an [net/http/httptest.Server] that answers
// /bot<token>/<method> exactly like api.telegram.org does: the same JSON
// envelopes ({"ok":true,"result":...} and
// {"ok":false,"error_code":N,"description":"..."}), the same HTTP status
// codes and the same error descriptions for the cases it models. It accepts
// application/json, multipart/form-data, application/x-www-form-urlencoded
// bodies and query parameters, like Telegram.
//
// The test side plays the users: [Server.SendText], [Server.Tap], the media
// senders ([Server.SendPhoto], [Server.SendVideo], [Server.SendDocument],
// [Server.SendDocumentData], [Server.SendVoice], [Server.SendSticker],
// [Server.SendContact], [Server.SendPoll], ... and [Server.SendAlbum], one
// update per part),
// [Server.EditText] and [Server.EditCaption] (edited_message),
// [Server.Push] and [Server.PushRaw] create updates, which the bot receives
// either by long
// polling (getUpdates, with real offset confirmation and long-poll timeouts)
// or by webhook delivery (setWebhook; sequential, or with [WithParallelWebhook]
// in parallel across chats and in order within one as Telegram does; retried
// with backoff until the bot answers 2xx). [Server.SetNextUpdateID] restarts
// update ids lower, as Telegram does after a quiet week.
//
// Supergroups: [Server.AddGroup] makes one (the bot is its administrator),
// [Server.AddMember], [Server.RemoveMember] and [Server.KickMember] change
// its members (service messages, and chat_member updates when the bot's
// allowed_updates ask for them), getChatMember answers their status, and
// the option [From] makes a member act in it: SendText(group, "/file",
// From(volunteer)), Tap(group, card, data, From(volunteer)). A user id is
// also the id of the user's private chat, which exists only once the user
// wrote to the bot or [Server.AddChat] was called.
//
// The bot sends files with sendPhoto and sendDocument, uploaded as
// multipart/form-data or named by a file_id; the answers carry the photo's
// sizes (read from the PNG, JPEG or GIF) or the document's name, type and
// size, and [Server.File] gives back the bytes the bot uploaded.
//
// The bot fetches files as from Telegram: getFile answers a File with its
// file_path (and "Bad Request: file is too big" over 20 MB), and GET
// /file/bot<token>/<file_path> serves the bytes (404 for a path getFile
// never gave, 401 for a wrong token). [Server.SendDocumentData] makes a
// user send a file with its content; the files of [Server.SendDocument]
// and of users' photos serve placeholder bytes of their announced size.
// Downloads are recorded, and fail or hang, under [DownloadMethod].
//
// What the bot does is visible through [Server.Chat] (the messages a user
// would see, edits and deletions applied; with their kind, caption, file
// name, album, protection, reply and, for copies, their source), [Server.Calls],
// [Server.Requests] (every request with its parameters decoded, for privacy
// scans), [Server.Commands], [Server.ChatActions], [Server.Answered] and
// friends. [Server.WaitFor] and
// [Server.WaitMessages] wait for the bot's asynchronous replies without blind
// sleeps.
//
// Faults are injected with [Server.Fail] and [Server.FailWith] (429 with
// retry_after, 403, 500, 502, ...), [Server.Hang] (a call that hangs) and
// [Server.Block] (with the my_chat_member updates Telegram sends on block and
// unblock); [WithRateLimits] enforces Telegram's flood limits. A failed call
// never changes the state.
//
// All methods are safe for concurrent use. [Server.Close] ends pending long
// polls and the webhook sender, and leaves no goroutine behind.
package telegramtest
