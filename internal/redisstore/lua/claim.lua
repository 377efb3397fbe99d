-- Takes a chat's sending lease if its outbox is not empty and nobody else
-- holds it (an owner starting with '!' takes it whoever holds it).
--
-- KEYS[1] out list   KEYS[2] lease string   KEYS[3] pace string
-- ARGV[1] owner token   ARGV[2] lease expiry, ms
--
-- Returns {held, head, pace}.
if redis.call('LLEN', KEYS[1]) == 0 then
  return {0, '', ''}
end
local owner = ARGV[1]
local steal = string.sub(owner, 1, 1) == '!'
if steal then
  owner = string.sub(owner, 2)
end
local cur = redis.call('GET', KEYS[2])
if cur and cur ~= owner and not steal then
  return {0, '', ''}
end
redis.call('SET', KEYS[2], owner, 'PX', ARGV[2])
return {1, redis.call('LINDEX', KEYS[1], 0), redis.call('GET', KEYS[3]) or ''}
