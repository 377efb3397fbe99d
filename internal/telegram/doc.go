// Package telegram connects the conversation service to the Telegram Bot API:
// it receives updates (long polling or webhook) and acknowledges them only
// once their effects are durable, dispatches them in order per chat and in
// parallel across chats, sends replies paced within Telegram's limits, and
// fetches the files admins upload ([Sender.Download]).
//
// Requests are encoded here, as plain JSON, rather than through
// go-telegram/bot's multipart encoder, which dominated the CPU profile of a
// step; the library's models give the field names and shapes.
package telegram
