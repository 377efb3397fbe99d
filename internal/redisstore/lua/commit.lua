-- One step of a conversation, in one round trip: compare-and-set of the
-- state, update-id dedupe, the step's replies appended to the outbox, and the
-- chat's sending lease taken when free. Mode 4 appends to the outbox alone.
--
-- KEYS[1] conv hash (rev, ids, st, lk, era, seq, blk)   KEYS[2] msgs sorted set
-- KEYS[3] out list   KEYS[4] lease string   KEYS[5] pace string   KEYS[6] copy hash
-- ARGV[1] revision the step was computed from
-- ARGV[2] update id ('0': internal step, never a duplicate)
-- ARGV[3] state JSON
-- ARGV[4] conv expiry in milliseconds (the retention)
-- ARGV[5] incoming message id ('0': none)
-- ARGV[6] now, unix milliseconds
-- ARGV[7] journal window in milliseconds (48 h)
-- ARGV[8] first revision of a conversation that does not exist yet
-- ARGV[9] owner token of this replica   ARGV[10] lease expiry in milliseconds
-- ARGV[11] mode: 0 step (5: for another's update: the blocked flag stays), 1 erase (the messages of 48 h and the outbox), 2 forget (erase
--           and the state), 3 blocked (the person blocked the bot: outbox emptied, flag set),
--           4 enqueue (entries only: no revision, no update id, the state and link untouched)
-- ARGV[12] outbox expiry in milliseconds
-- ARGV[13] most ids the journal keeps
-- ARGV[14] most replaceable entries kept waiting behind the head
-- ARGV[15] most recent update ids remembered
-- ARGV[16] link JSON ('': none)
-- ARGV[17] chat of the incoming message ('0': this chat)
-- ARGV[18] most entries the outbox holds
-- ARGV[19] album window, ms: how long after it was queued an album's head
--          still takes the parts that follow (delivery.AlbumWait less a margin)
-- ARGV[20..] entries to append, '<flags>|<json>'
--
-- Entries flagged 'm' (must arrive) or 'x' (relayed) are never dropped to
-- make room: a full outbox (ARGV[18]) refuses what does not fit instead.
--
-- Journal members are message ids of this chat, '<id>', or of another one
-- (relayed), '<chat>:<id>'.
--
-- Returns {0, new rev, ids, held, head, pace, queued, refused, blocked} when written
-- (queued: the outbox's length; refused: entries left out, the outbox being
-- full), {1, rev, ids, st, lk} on a conflict, {2, rev, ids, st, lk} for an
-- update already applied.
local cur = redis.call('HMGET', KEYS[1], 'rev', 'ids', 'st', 'era', 'blk', 'seq', 'lk')
local rev = tonumber(cur[1]) or 0
local ids = cur[2] or ''
local uid = ARGV[2]
local mode = ARGV[11]

if mode ~= '4' then
  -- Duplicates are recognised in a set of recent ids, never by a maximum:
  -- Telegram restarts update ids lower after a quiet week.
  if uid ~= '0' and string.find(' ' .. ids .. ' ', ' ' .. uid .. ' ', 1, true) then
    return {2, rev, ids, cur[3] or '', cur[7] or ''}
  end
  if rev ~= tonumber(ARGV[1]) then
    return {1, rev, ids, cur[3] or '', cur[7] or ''}
  end
end

local now = tonumber(ARGV[6])
-- A new conversation starts from a time-based revision, so that a revision
-- is never reused after an erase or an expiry.
local nrev = rev
if mode ~= '4' then
  nrev = rev + 1
  if rev == 0 then
    nrev = tonumber(ARGV[8])
  end
end
if uid ~= '0' and mode ~= '4' then
  local kept = {}
  for id in string.gmatch(ids, '%S+') do
    kept[#kept + 1] = id
  end
  kept[#kept + 1] = uid
  local from = math.max(1, #kept - tonumber(ARGV[15]) + 1)
  ids = table.concat(kept, ' ', from, #kept)
end

local incoming = ARGV[5]
if incoming ~= '0' and ARGV[17] ~= '0' then
  incoming = ARGV[17] .. ':' .. incoming
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
  redis.call('DEL', KEYS[2], KEYS[6])
  if incoming ~= '0' then
    gone[#gone + 1] = incoming
  end
  -- Deletes go by chat, this one first: '<chat>:<id>' members were relayed
  -- to another chat and are deleted there.
  local order, byChat = {''}, {['']= {}}
  for _, m in ipairs(gone) do
    local c, id = string.match(m, '^(-?%d+):(%d+)$')
    if not c and string.match(m, '^%d+$') then
      c, id = '', m
    end
    if c then
      if not byChat[c] then
        byChat[c] = {}
        order[#order + 1] = c
      end
      local b = byChat[c]
      b[#b + 1] = id
    end
  end
  for _, c in ipairs(order) do
    local all = byChat[c]
    for i = 1, #all, 100 do
      local batch = {}
      for j = i, math.min(i + 99, #all) do
        batch[#batch + 1] = all[j]
      end
      if c == '' then
        entries[#entries + 1] = 'm|{"k":1,"i":[' .. table.concat(batch, ',') .. '],"a":' .. now .. '}'
      else
        entries[#entries + 1] = 'mx|{"k":1,"i":[' .. table.concat(batch, ',') .. '],"a":' .. now .. ',"to":' .. c .. '}'
      end
    end
  end
end

-- A person who blocked the bot gets nothing until they write again.
local blocked = cur[5]
if mode == '3' then
  redis.call('DEL', KEYS[3])
  blocked = '1'
elseif blocked and uid ~= '0' and mode ~= '4' and mode ~= '5' then
  redis.call('HDEL', KEYS[1], 'blk')
  blocked = false
end
if not blocked then
  for i = 20, #ARGV do
    entries[#entries + 1] = ARGV[i]
  end
end

-- Parts of one album arrive one by one: a part joins the entry of the parts
-- before it when that entry is the last one. The head joins only while it
-- is young: its sender waits delivery.AlbumWait after it was queued, then
-- reads it again and sends (and acknowledges) what it read; the window
-- (ARGV[19]) closes a margin before that, so nothing changes the head once
-- read. That holds while the replicas' clocks (the 'a' of the head, this
-- 'now', the sender's) agree within the margin; should they not, ack.lua
-- still removes only the parts sent. Returns the merged entry, or nil.
local function mergeAlbum(last, e, head)
  local lflags, ljson = string.match(last, '^%d+|%d+|([^|]*)|(.*)$')
  local _, njson = string.match(e, '^([^|]*)|(.*)$')
  if not lflags or not njson or not string.find(lflags, 'g', 1, true) then
    return nil
  end
  local ok1, a = pcall(cjson.decode, ljson)
  local ok2, b = pcall(cjson.decode, njson)
  if not ok1 or not ok2 or type(a) ~= 'table' or type(b) ~= 'table' then
    return nil
  end
  if a.k ~= 2 or b.k ~= 2 or type(a.g) ~= 'string' or a.g ~= b.g
    or (a.fr or 0) ~= (b.fr or 0) or (a.to or 0) ~= (b.to or 0) then
    return nil
  end
  if head and not (type(a.a) == 'number' and a.a + tonumber(ARGV[19]) > now) then
    return nil -- the head's sender may have read it: a new entry
  end
  -- The ids are edited as text: re-encoding would round large chat ids.
  local from, to, lids = string.find(last, '[{,]"i":%[([%d,]*)%]')
  local nids = string.match(njson, '[{,]"i":%[([%d,]*)%]')
  if not from or not nids or lids == '' or nids == '' then
    return nil
  end
  local prev, n = -1, 0
  for id in string.gmatch(lids .. ',' .. nids, '%d+') do
    id = tonumber(id)
    if id <= prev then
      return nil -- copyMessages takes ids in increasing order
    end
    prev, n = id, n + 1
  end
  if n > 100 then
    return nil
  end
  return string.sub(last, 1, from) .. '"i":[' .. lids .. ',' .. nids .. ']' .. string.sub(last, to + 1)
end

-- Makes room behind the head by dropping the oldest replaceable entry;
-- false when every waiting entry must arrive.
local function dropOldestScreen()
  local waiting = redis.call('LRANGE', KEYS[3], 1, -1)
  for i = 1, #waiting do
    local flags = string.match(waiting[i], '^%d+|%d+|([^|]*)|')
    if not flags or not string.find(flags, '[mx]') then
      redis.call('LREM', KEYS[3], 1, waiting[i])
      return true
    end
  end
  return false
end

local cap = tonumber(ARGV[18])
local pushed, refused, replaceable = 0, 0, false
for i = 1, #entries do
  local e = entries[i]
  local merged = nil
  local flags = string.match(e, '^[^|]*')
  local len = redis.call('LLEN', KEYS[3])
  if string.find(flags, 'g', 1, true) and len > 0 then
    merged = mergeAlbum(redis.call('LINDEX', KEYS[3], -1), e, len == 1)
  end
  if merged then
    redis.call('LSET', KEYS[3], -1, merged)
  elseif len >= cap and not dropOldestScreen() then
    -- Full of what must arrive: this entry is left out, and the caller told.
    refused = refused + 1
  else
    seq = seq + 1
    redis.call('RPUSH', KEYS[3], seq .. '|' .. era .. '|' .. e)
    pushed = pushed + 1
    if not string.find(flags, '[mx]') then
      replaceable = true
    end
  end
end

if mode == '2' then
  -- Nothing of the person is kept: an entry on its way finds no era to
  -- match and is deleted as soon as it is acknowledged.
  redis.call('DEL', KEYS[1], KEYS[5])
elseif mode == '4' then
  -- The conversation is not written, but its era must outlive the entries
  -- queued here, and the hash must expire even if this creates it.
  redis.call('HSET', KEYS[1], 'era', era, 'seq', seq)
  if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[12]) then
    redis.call('PEXPIRE', KEYS[1], ARGV[12])
  end
else
  redis.call('HSET', KEYS[1], 'rev', nrev, 'ids', ids, 'st', ARGV[3], 'era', era, 'seq', seq)
  if ARGV[16] ~= '' then
    redis.call('HSET', KEYS[1], 'lk', ARGV[16])
  elseif cur[7] then
    redis.call('HDEL', KEYS[1], 'lk')
  end
  if mode == '3' then
    redis.call('HSET', KEYS[1], 'blk', 1)
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end

if (mode == '0' or mode == '5') and incoming ~= '0' then
  redis.call('ZADD', KEYS[2], now, incoming)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[7])))
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[13]) + 1))
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
end

if #entries > refused then
  -- A person sending faster than replies can go needs the latest screen,
  -- not every stale one: past a few, the oldest replaceable entries waiting
  -- behind the head (which may be on its way) are dropped. Emergency screens
  -- give way only to newer emergency screens; what must arrive ('m': relayed
  -- messages, deletes, what an erase says) never gives way, nor anything
  -- relayed ('x'), even if its caller forgot to say it must arrive.
  if replaceable then
    local waiting = redis.call('LRANGE', KEYS[3], 1, -1)
    local screens, urgent = {}, {}
    for i = 1, #waiting do
      local flags = string.match(waiting[i], '^%d+|%d+|([^|]*)|')
      if flags and not string.find(flags, '[mx]') then
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
  redis.call('PEXPIRE', KEYS[3], ARGV[12])
end

local held, head, pace = 0, '', ''
local queued = redis.call('LLEN', KEYS[3])
if queued > 0 then
  local owner = redis.call('GET', KEYS[4])
  if (not owner) or owner == ARGV[9] then
    redis.call('SET', KEYS[4], ARGV[9], 'PX', ARGV[10])
    held = 1
    head = redis.call('LINDEX', KEYS[3], 0)
    pace = redis.call('GET', KEYS[5]) or ''
  end
end
local dropped = 0
if blocked and mode ~= '3' and #ARGV >= 20 then
  dropped = 1 -- the person blocked the bot: this step's entries were left out
end
return {0, nrev, ids, held, head, pace, queued, refused, dropped}
