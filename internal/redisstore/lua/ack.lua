-- One outbox entry sent (or dropped), in one round trip: removed from the
-- queue, the messages sent journaled for erasing (and the copies made mapped
-- to their sources), the chat's pace advanced, the lease renewed, and the
-- next entry returned; on an empty queue the lease is handed back.
--
-- KEYS[1] conv hash   KEYS[2] msgs sorted set   KEYS[3] out list
-- KEYS[4] lease string   KEYS[5] pace string   KEYS[6] copy hash
-- ARGV[1] owner token   ARGV[2] the entry as stored   ARGV[3] lease expiry, ms
-- ARGV[4] now, unix ms   ARGV[5] journal window, ms   ARGV[6] most ids the journal
--         (and the copy map) keeps
-- ARGV[7] pace interval, ms
-- ARGV[8] n, the copies made: ARGV[9..8+2n] pairs of '<src chat>:<src id>',
--         '<dest chat>:<dest id>:<now>'
-- ARGV[9+2n..] journal members of the messages sent, '<id>' or '<chat>:<id>'
--         (none: dropped)
--
-- Returns {escaped, lost, next entry or '', pace}.
if redis.call('LREM', KEYS[3], 1, ARGV[2]) == 0 then
  -- The head was an album's and a part was merged into it after its sender
  -- read it (commit.lua's window closes a margin before the sender reads;
  -- replicas' clocks further apart than that): the entry is still there,
  -- rewritten. The parts sent leave it; the others stay, to go next.
  local key, flags = string.match(ARGV[2], '^(%d+|%d+|)([^|]*)|')
  local head = redis.call('LINDEX', KEYS[3], 0)
  if key and head and string.find(flags, 'g', 1, true) and string.sub(head, 1, #key) == key then
    local sent = {}
    for id in string.gmatch(string.match(ARGV[2], '[{,]"i":%[([%d,]*)%]') or '', '%d+') do
      sent[id] = true
    end
    local from, to, ids = string.find(head, '[{,]"i":%[([%d,]*)%]')
    if from then
      local rest = {}
      for id in string.gmatch(ids, '%d+') do
        if not sent[id] then
          rest[#rest + 1] = id
        end
      end
      if #rest == 0 then
        redis.call('LPOP', KEYS[3])
      else
        redis.call('LSET', KEYS[3], 0, string.sub(head, 1, from) .. '"i":[' .. table.concat(rest, ',') .. ']' .. string.sub(head, to + 1))
      end
    end
  end
end
local now = tonumber(ARGV[4])
local cap = tonumber(ARGV[6])
local copies = tonumber(ARGV[8])
local first = 9 + 2 * copies
local escaped = 0
local pace = redis.call('GET', KEYS[5]) or ''
local era = redis.call('HGET', KEYS[1], 'era')
if #ARGV >= first and not era then
  -- Queued before a forget that happened while it was on its way: the
  -- caller deletes it at once, and nothing of the person is written again.
  escaped = 1
elseif #ARGV >= first then
  -- Queued before an erase that happened while it was on its way: the
  -- caller deletes it at once. It is journaled all the same, in case the
  -- deletion fails.
  if era ~= string.match(ARGV[2], '^%d+|(%d+)|') then
    escaped = 1
  end
  for i = first, #ARGV do
    redis.call('ZADD', KEYS[2], now, ARGV[i])
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[5])))
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(cap + 1))
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
  if escaped == 0 and copies > 0 then
    for i = 9, first - 1, 2 do
      redis.call('HSET', KEYS[6], ARGV[i], ARGV[i + 1])
    end
    if redis.call('HLEN', KEYS[6]) > cap then
      -- Bounded like the journal: the oldest copies go, a fifth of the
      -- bound at once so that the next acks do not sort again.
      local all = redis.call('HGETALL', KEYS[6])
      local byAge = {}
      for i = 1, #all, 2 do
        byAge[#byAge + 1] = {all[i], tonumber(string.match(all[i + 1], ':(%d+)$')) or 0}
      end
      table.sort(byAge, function(a, b) return a[2] < b[2] end)
      for i = 1, #byAge - math.floor(cap * 4 / 5) do
        redis.call('HDEL', KEYS[6], byAge[i][1])
      end
    end
    redis.call('PEXPIRE', KEYS[6], ARGV[5])
  end
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
