-- One outbox entry sent (or dropped), in one round trip: removed from the
-- queue, the messages sent journaled for erasing, the chat's pace advanced,
-- the lease renewed, and the next entry returned; on an empty queue the
-- lease is handed back.
--
-- KEYS[1] conv hash   KEYS[2] msgs sorted set   KEYS[3] out list
-- KEYS[4] lease string   KEYS[5] pace string
-- ARGV[1] owner token   ARGV[2] the entry as stored   ARGV[3] lease expiry, ms
-- ARGV[4] now, unix ms   ARGV[5] journal window, ms   ARGV[6] most ids the journal keeps
-- ARGV[7] pace interval, ms
-- ARGV[8..] ids of the messages sent (none: dropped)
--
-- Returns {escaped, lost, next entry or '', pace}.
redis.call('LREM', KEYS[3], 1, ARGV[2])
local now = tonumber(ARGV[4])
local escaped = 0
local pace = redis.call('GET', KEYS[5]) or ''
local era = redis.call('HGET', KEYS[1], 'era')
if #ARGV > 7 and not era then
  -- Queued before a forget that happened while it was on its way: the
  -- caller deletes it at once, and nothing of the person is written again.
  escaped = 1
elseif #ARGV > 7 then
  -- Queued before an erase that happened while it was on its way: the
  -- caller deletes it at once. It is journaled all the same, in case the
  -- deletion fails.
  if era ~= string.match(ARGV[2], '^%d+|(%d+)|') then
    escaped = 1
  end
  for i = 8, #ARGV do
    redis.call('ZADD', KEYS[2], now, ARGV[i])
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[5])))
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[6]) + 1))
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
  -- The chat's pace (GCRA): the theoretical arrival time moves one interval.
  local tat = math.max(tonumber(pace) or 0, now) + tonumber(ARGV[7])
  pace = tostring(tat)
  redis.call('SET', KEYS[5], pace, 'PX', tat - now + 1000)
end

local owner = redis.call('GET', KEYS[4])
if owner and owner ~= ARGV[1] then
  return {escaped, 1, '', pace}
end
if redis.call('LLEN', KEYS[3]) == 0 then
  if owner then
    redis.call('DEL', KEYS[4])
  end
  return {escaped, 0, '', pace}
end
redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[3])
return {escaped, 0, redis.call('LINDEX', KEYS[3], 0), pace}
