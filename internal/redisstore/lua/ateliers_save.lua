-- Creates (ARGV[6] = 1: only if the id is free) or replaces a session.
--
-- KEYS[1] session hash   KEYS[2] index zset   KEYS[3] sign-ups hash
-- KEYS[4] reminded marker
-- ARGV[1] id   ARGV[2] session JSON   ARGV[3] start, unix ms
-- ARGV[4] end, unix ms   ARGV[5] cancelled (0/1)   ARGV[6] create (0/1)
-- ARGV[7] now, unix ms   ARGV[8] how long a session outlives its end, ms
--
-- The session and its marker expire ARGV[8] after the end, the sign-ups at
-- the end; a cancelled session's sign-ups are deleted. A session moved to
-- another start loses its marker (its reminders are due again). Index
-- members past every session's expiry are pruned.
--
-- Returns 0 when ARGV[6] = 1 and the id is taken, 1 otherwise.
if ARGV[6] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local expireAt = tonumber(ARGV[4]) + tonumber(ARGV[8])
local old = redis.call('HGET', KEYS[1], 'st')
redis.call('HSET', KEYS[1], 'j', ARGV[2], 'st', ARGV[3], 'end', ARGV[4], 'x', ARGV[5])
if redis.call('HEXISTS', KEYS[1], 'n') == 0 then
  redis.call('HSET', KEYS[1], 'n', 0)
end
redis.call('PEXPIREAT', KEYS[1], expireAt)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local ttl = redis.call('PTTL', KEYS[2])
if ttl < expireAt - tonumber(ARGV[7]) then
  redis.call('PEXPIREAT', KEYS[2], expireAt)
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (tonumber(ARGV[7]) - tonumber(ARGV[8]) - 86400000))
if ARGV[5] == '1' then
  redis.call('DEL', KEYS[3])
elseif redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('PEXPIREAT', KEYS[3], ARGV[4])
end
if old and old ~= ARGV[3] then
  redis.call('DEL', KEYS[4])
elseif redis.call('EXISTS', KEYS[4]) == 1 then
  redis.call('PEXPIREAT', KEYS[4], expireAt)
end
return 1
