-- Removes a chat's sign-up.
--
-- KEYS[1] session hash   KEYS[2] sign-ups hash   KEYS[3] the chat's sessions set
-- ARGV[1] id   ARGV[2] chat
--
-- Returns the count, -1 for no session.
redis.call('HDEL', KEYS[2], ARGV[2])
redis.call('SREM', KEYS[3], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
local n = redis.call('HLEN', KEYS[2])
redis.call('HSET', KEYS[1], 'n', n)
return n
