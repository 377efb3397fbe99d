-- One step of a conversation, in one round trip: compare-and-set of the
-- state, update-id dedupe, the step's replies appended to the outbox, and the
-- chat's sending lease taken when free.
--
-- KEYS[1] conv hash (rev, ids, st, era, seq, blk)   KEYS[2] msgs sorted set
-- KEYS[3] out list   KEYS[4] lease string   KEYS[5] pace string
-- ARGV[1] revision the step was computed from
-- ARGV[2] update id ('0': internal step, never a duplicate)
-- ARGV[3] state JSON
-- ARGV[4] conv expiry in milliseconds (the retention)
-- ARGV[5] incoming message id ('0': none)
-- ARGV[6] now, unix milliseconds
-- ARGV[7] journal window in milliseconds (48 h)
-- ARGV[8] first revision of a conversation that does not exist yet
-- ARGV[9] owner token of this replica   ARGV[10] lease expiry in milliseconds
-- ARGV[11] mode: 0 step, 1 erase (the messages of 48 h and the outbox), 2 forget (erase
--           and the state), 3 blocked (the person blocked the bot: outbox emptied, flag set)
-- ARGV[12] outbox expiry in milliseconds
-- ARGV[13] most ids the journal keeps
-- ARGV[14] most replaceable entries kept waiting behind the head
-- ARGV[15] most recent update ids remembered
-- ARGV[16..] entries to append, '<flags>|<json>'
--
-- Returns {0, new rev, ids, held, head, pace} when written,
-- {1, rev, ids, st} on a conflict, {2, rev, ids, st} for an update already applied.
local cur = redis.call('HMGET', KEYS[1], 'rev', 'ids', 'st', 'era', 'blk', 'seq')
local rev = tonumber(cur[1]) or 0
local ids = cur[2] or ''
local uid = ARGV[2]

-- Duplicates are recognised in a set of recent ids, never by a maximum:
-- Telegram restarts update ids lower after a quiet week.
if uid ~= '0' and string.find(' ' .. ids .. ' ', ' ' .. uid .. ' ', 1, true) then
  return {2, rev, ids, cur[3] or ''}
end
if rev ~= tonumber(ARGV[1]) then
  return {1, rev, ids, cur[3] or ''}
end

local now = tonumber(ARGV[6])
local mode = ARGV[11]
-- A new conversation starts from a time-based revision, so that a revision
-- is never reused after an erase or an expiry.
local nrev = rev + 1
if rev == 0 then
  nrev = tonumber(ARGV[8])
end
if uid ~= '0' then
  local kept = {}
  for id in string.gmatch(ids, '%S+') do
    kept[#kept + 1] = id
  end
  kept[#kept + 1] = uid
  local from = math.max(1, #kept - tonumber(ARGV[15]) + 1)
  ids = table.concat(kept, ' ', from, #kept)
end

-- The erase epoch: entries carry the one of their time, so a message that
-- was on its way during an erase is recognised when it is acknowledged.
local era = tonumber(cur[4]) or 0
if era == 0 then
  era = now
end
local seq = tonumber(cur[6]) or 0
local entries = {}
if mode == '1' or mode == '2' then
  era = math.max(now, era + 1)
  redis.call('DEL', KEYS[3])
  local gone = redis.call('ZRANGE', KEYS[2], 0, -1)
  redis.call('DEL', KEYS[2])
  if ARGV[5] ~= '0' then
    gone[#gone + 1] = ARGV[5]
  end
  for i = 1, #gone, 100 do
    local batch = {}
    for j = i, math.min(i + 99, #gone) do
      batch[#batch + 1] = gone[j]
    end
    entries[#entries + 1] = 'm|{"k":1,"i":[' .. table.concat(batch, ',') .. '],"a":' .. now .. '}'
  end
end

-- A person who blocked the bot gets nothing until they write again.
local blocked = cur[5]
if mode == '3' then
  redis.call('DEL', KEYS[3])
  blocked = '1'
elseif blocked and uid ~= '0' then
  redis.call('HDEL', KEYS[1], 'blk')
  blocked = false
end
if not blocked then
  for i = 16, #ARGV do
    entries[#entries + 1] = ARGV[i]
  end
end

if mode == '2' then
  -- Nothing of the person is kept: an entry on its way finds no era to
  -- match and is deleted as soon as it is acknowledged.
  redis.call('DEL', KEYS[1], KEYS[5])
else
  redis.call('HSET', KEYS[1], 'rev', nrev, 'ids', ids, 'st', ARGV[3], 'era', era, 'seq', seq + #entries)
  if mode == '3' then
    redis.call('HSET', KEYS[1], 'blk', 1)
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end

if mode == '0' and ARGV[5] ~= '0' then
  redis.call('ZADD', KEYS[2], now, ARGV[5])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[7])))
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[13]) + 1))
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
end

if #entries > 0 then
  local replaceable = false
  for i = 1, #entries do
    seq = seq + 1
    redis.call('RPUSH', KEYS[3], seq .. '|' .. era .. '|' .. entries[i])
    if not string.match(entries[i], '^[^|]*m') then
      replaceable = true
    end
  end
  -- A person sending faster than replies can go needs the latest screen,
  -- not every stale one: past a few, the oldest replaceable entries waiting
  -- behind the head (which may be on its way) are dropped. Emergency screens
  -- give way only to newer emergency screens; what must arrive ('m') never
  -- gives way.
  if replaceable then
    local waiting = redis.call('LRANGE', KEYS[3], 1, -1)
    local screens, urgent = {}, {}
    for i = 1, #waiting do
      local flags = string.match(waiting[i], '^%d+|%d+|([^|]*)|')
      if flags and not string.find(flags, 'm', 1, true) then
        if string.find(flags, 'u', 1, true) then
          urgent[#urgent + 1] = waiting[i]
        else
          screens[#screens + 1] = waiting[i]
        end
      end
    end
    for i = 1, #screens - tonumber(ARGV[14]) do
      redis.call('LREM', KEYS[3], 1, screens[i])
    end
    for i = 1, #urgent - 2 do
      redis.call('LREM', KEYS[3], 1, urgent[i])
    end
  end
  redis.call('LTRIM', KEYS[3], -256, -1)
  redis.call('PEXPIRE', KEYS[3], ARGV[12])
end

local held, head, pace = 0, '', ''
if redis.call('LLEN', KEYS[3]) > 0 then
  local owner = redis.call('GET', KEYS[4])
  if (not owner) or owner == ARGV[9] then
    redis.call('SET', KEYS[4], ARGV[9], 'PX', ARGV[10])
    held = 1
    head = redis.call('LINDEX', KEYS[3], 0)
    pace = redis.call('GET', KEYS[5]) or ''
  end
end
return {0, nrev, ids, held, head, pace}
