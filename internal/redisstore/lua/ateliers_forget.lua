-- Removes a chat from the sign-ups of the sessions read from its set.
--
-- KEYS[1] the chat's sessions set
-- KEYS[2k], KEYS[2k+1] (k >= 1) a session's hash and its sign-ups hash
-- ARGV[1] chat   ARGV[1+k] the session's id
--
-- Returns the members left in the set (signed up meanwhile: read again).
for k = 1, #ARGV - 1 do
  redis.call('HDEL', KEYS[2 * k + 1], ARGV[1])
  redis.call('SREM', KEYS[1], ARGV[1 + k])
  if redis.call('EXISTS', KEYS[2 * k]) == 1 then
    redis.call('HSET', KEYS[2 * k], 'n', redis.call('HLEN', KEYS[2 * k + 1]))
  end
end
local left = redis.call('SCARD', KEYS[1])
if left == 0 then
  redis.call('DEL', KEYS[1])
end
return left
