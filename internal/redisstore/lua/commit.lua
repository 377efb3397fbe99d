-- Compare-and-set of one conversation, in one round trip.
--
-- KEYS[1] conv hash (rev, upd, st, ob)   KEYS[2] msgs sorted set
-- ARGV[1] revision the step was computed from
-- ARGV[2] update id (0: internal step, never a duplicate)
-- ARGV[3] state JSON
-- ARGV[4] outbox JSON ('' when empty: the field is removed)
-- ARGV[5] conv expiry in milliseconds (the retention)
-- ARGV[6] incoming message id (0: none)
-- ARGV[7] now, unix seconds (score of the incoming id)
-- ARGV[8] now - 48 h, unix seconds (older ids are trimmed)
-- ARGV[9] msgs expiry in seconds (48 h)
-- ARGV[10] first revision of a conversation that does not exist yet
--
-- Returns {0, new rev, upd} when written, {1, rev, upd, st, ob} on a
-- conflict, {2, rev, upd, st, ob} for an update already applied.
local cur = redis.call('HMGET', KEYS[1], 'rev', 'upd', 'st', 'ob')
local rev = tonumber(cur[1]) or 0
local upd = tonumber(cur[2]) or 0
local uid = tonumber(ARGV[2])

-- A redelivered update wins over a conflict: its result is already stored
-- and the caller only has to re-send what is still in the outbox.
if uid > 0 and uid <= upd then
  return {2, rev, upd, cur[3], cur[4]}
end
if rev ~= tonumber(ARGV[1]) then
  return {1, rev, upd, cur[3], cur[4]}
end

-- A new conversation starts from a time-based revision, not 1, so that a
-- revision is never reused after the chat was erased or expired: a replica
-- holding an old revision then always conflicts instead of overwriting.
local nrev = rev + 1
if rev == 0 then
  nrev = tonumber(ARGV[10])
end
if uid > upd then
  upd = uid
end
redis.call('HSET', KEYS[1], 'rev', nrev, 'upd', upd, 'st', ARGV[3])
if ARGV[4] == '' then
  redis.call('HDEL', KEYS[1], 'ob')
else
  redis.call('HSET', KEYS[1], 'ob', ARGV[4])
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])

if tonumber(ARGV[6]) > 0 then
  redis.call('ZADD', KEYS[2], ARGV[7], ARGV[6])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[8])
  redis.call('EXPIRE', KEYS[2], ARGV[9])
end
return {0, nrev, upd}
