package redisstore

import (
	_ "embed"

	"github.com/redis/go-redis/v9"
)

// Every desk operation that writes is one Lua script: deskLib, the helpers
// they share, followed by the script's own text.
var (
	//go:embed lua/desk_lib.lua
	deskLib string

	//go:embed lua/desk_open.lua
	deskOpenLua string
	//go:embed lua/desk_claim.lua
	deskClaimLua string
	//go:embed lua/desk_release.lua
	deskReleaseLua string
	//go:embed lua/desk_close.lua
	deskCloseLua string
	//go:embed lua/desk_alarm.lua
	deskAlarmLua string
	//go:embed lua/desk_note.lua
	deskNoteLua string
	//go:embed lua/desk_touch.lua
	deskTouchLua string
	//go:embed lua/desk_alert.lua
	deskAlertLua string
	//go:embed lua/desk_queue.lua
	deskQueueLua string
	//go:embed lua/desk_setvol.lua
	deskSetVolLua string
	//go:embed lua/desk_vols.lua
	deskVolsLua string
	//go:embed lua/desk_leave.lua
	deskLeaveLua string
	//go:embed lua/desk_post.lua
	deskPostLua string
	//go:embed lua/desk_carddone.lua
	deskCardDoneLua string
	//go:embed lua/desk_remind.lua
	deskRemindLua string
)

var (
	deskOpenScript     = deskScript(deskOpenLua)
	deskClaimScript    = deskScript(deskClaimLua)
	deskReleaseScript  = deskScript(deskReleaseLua)
	deskCloseScript    = deskScript(deskCloseLua)
	deskAlarmScript    = deskScript(deskAlarmLua)
	deskNoteScript     = deskScript(deskNoteLua)
	deskTouchScript    = deskScript(deskTouchLua)
	deskAlertScript    = deskScript(deskAlertLua)
	deskQueueScript    = deskScript(deskQueueLua)
	deskSetVolScript   = deskScript(deskSetVolLua)
	deskVolsScript     = deskScript(deskVolsLua)
	deskLeaveScript    = deskScript(deskLeaveLua)
	deskPostScript     = deskScript(deskPostLua)
	deskCardDoneScript = deskScript(deskCardDoneLua)
	deskRemindScript   = deskScript(deskRemindLua)
)

func deskScript(body string) *redis.Script { return redis.NewScript(deskLib + "\n" + body) }

// deskScripts lists what Desk.Preload loads.
var deskScripts = []struct {
	name   string
	script *redis.Script
}{
	{"desk_open", deskOpenScript},
	{"desk_claim", deskClaimScript},
	{"desk_release", deskReleaseScript},
	{"desk_close", deskCloseScript},
	{"desk_alarm", deskAlarmScript},
	{"desk_note", deskNoteScript},
	{"desk_touch", deskTouchScript},
	{"desk_alert", deskAlertScript},
	{"desk_queue", deskQueueScript},
	{"desk_setvol", deskSetVolScript},
	{"desk_vols", deskVolsScript},
	{"desk_leave", deskLeaveScript},
	{"desk_post", deskPostScript},
	{"desk_carddone", deskCardDoneScript},
	{"desk_remind", deskRemindScript},
}
