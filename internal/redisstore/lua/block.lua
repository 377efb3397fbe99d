-- Telegram refused a send: the person blocked the bot. What was queued
-- before that send started is dropped (it would be refused too); the flag
-- is kept with the conversation until they write again, and the lease
-- handed back. But what was queued after the send started was written
-- after the person came back (an unblock, a message): that goes on, and no
-- flag is set.
--
-- KEYS[1] conv hash   KEYS[2] out list   KEYS[3] lease string
-- ARGV[1] owner token   ARGV[2] when the refused send started, unix ms
-- ARGV[3] lease expiry, ms
--
-- Returns the next entry to send, or '' when the person stays blocked.
local since = tonumber(ARGV[2])
local queued = redis.call('LRANGE', KEYS[2], 0, -1)
local later = 0
for i = 1, #queued do
  local at = tonumber(string.match(queued[i], '"a":(%d+)')) or 0
  if at <= since then
    redis.call('LREM', KEYS[2], 1, queued[i])
  else
    later = later + 1
  end
end
if later > 0 then
  redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[3])
  return redis.call('LINDEX', KEYS[2], 0)
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'blk', 1)
end
redis.call('DEL', KEYS[2])
if redis.call('GET', KEYS[3]) == ARGV[1] then
  redis.call('DEL', KEYS[3])
end
return ''
