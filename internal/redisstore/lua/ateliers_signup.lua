-- Records (or replaces) a chat's sign-up to a session that is neither
-- cancelled nor over.
--
-- KEYS[1] session hash   KEYS[2] sign-ups hash   KEYS[3] the chat's sessions set
-- ARGV[1] id   ARGV[2] chat   ARGV[3] sign-up JSON   ARGV[4] now, unix ms
--
-- The sign-ups expire at the session's end, the chat's set at the latest
-- end of its sessions. The count is kept in the session (field n), for the
-- report after the sign-ups are gone.
--
-- Returns the count, -1 for no session, -2 for a cancelled or over one.
local s = redis.call('HMGET', KEYS[1], 'end', 'x')
if not s[1] then
  return -1
end
local ends = tonumber(s[1])
if s[2] == '1' or ends <= tonumber(ARGV[4]) then
  return -2
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('PEXPIREAT', KEYS[2], ends)
redis.call('SADD', KEYS[3], ARGV[1])
if redis.call('PTTL', KEYS[3]) < ends - tonumber(ARGV[4]) then
  redis.call('PEXPIREAT', KEYS[3], ends)
end
local n = redis.call('HLEN', KEYS[2])
redis.call('HSET', KEYS[1], 'n', n)
return n
