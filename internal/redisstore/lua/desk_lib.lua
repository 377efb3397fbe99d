-- Shared by every desk script: the Go side prepends it to each one.
--
-- Every desk key shares the hash tag {desk}, so all of them live in one
-- Redis Cluster slot; the scripts name the fixed ones in KEYS and build the
-- others (a ticket, a volunteer, an open index) from the same base.
--
-- KEYS[1] queue (sorted set)   KEYS[2] board (sorted set)
-- KEYS[3] vols (set)           KEYS[4] seq (counter)
-- ARGV[1] key base "<prefix>:{desk}:"   ARGV[2] retention, ms
-- ARGV[3] closed ticket TTL, ms        ARGV[4] now, unix ms
-- ARGV[5..] the script's own arguments.
--
-- A ticket hash t:<id>: id, ch (chat), st (queued|claimed|closed), cat,
-- rk (rank 0..2), lg, sum (JSON), op (opened ms), q (last queued ms),
-- q0 (first queued ms: the place in the queue), v, ps, nt (notes JSON),
-- rc (recused JSON), cd (card), out, rm, al (flags "1"), n (messages),
-- cl (closed ms), ver.
-- A volunteer hash v:<user>: id, ps, off, cap, pv, tk (ticket ids, spaced),
-- last.
local B = ARGV[1]
local KEEP = ARGV[2]
local CLOSED = ARGV[3]
local NOW = ARGV[4]
local QUEUE, BOARD, VOLS, SEQ = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
-- A queue score is rank * RANK + first queued ms: rank first, then age.
local RANK = 1e13

local function tkey(id) return B .. 't:' .. id end
local function vkey(v) return B .. 'v:' .. v end
local function okey(chat) return B .. 'open:' .. chat end

local function tget(id, f) return redis.call('HGET', tkey(id), f) end

local function ticket(id) return redis.call('HGETALL', tkey(id)) end

local function corrupt(what) return redis.error_reply('CORRUPT ' .. what) end

-- post adds an entry to the board; a second post keeps the first time.
local function post(entry)
  redis.call('ZADD', BOARD, 'NX', NOW, entry)
  redis.call('PEXPIRE', BOARD, KEEP)
end

-- keep refreshes the expiry of an open ticket and of its open index; a
-- closed ticket keeps its shorter one.
local function keep(id)
  local k = tkey(id)
  local st = redis.call('HGET', k, 'st')
  if not st or st == 'closed' then return end
  redis.call('PEXPIRE', k, KEEP)
  local chat = redis.call('HGET', k, 'ch')
  if chat then redis.call('PEXPIRE', okey(chat), KEEP) end
end

-- changed marks a change the ticket's card shows.
local function changed(id)
  redis.call('HINCRBY', tkey(id), 'ver', 1)
  post('card:' .. id)
end

-- enqueue puts the ticket in the queue at its place: by rank, then by the
-- time it first entered the queue.
local function enqueue(id)
  local k = tkey(id)
  local rk = tonumber(redis.call('HGET', k, 'rk')) or 2
  local q0 = tonumber(redis.call('HGET', k, 'q0')) or tonumber(NOW)
  redis.call('ZADD', QUEUE, string.format('%.0f', rk * RANK + q0), id)
  redis.call('PEXPIRE', QUEUE, KEEP)
end

local function split(s)
  local o = {}
  if s then
    for w in string.gmatch(s, '%S+') do o[#o + 1] = w end
  end
  return o
end

-- untake removes a ticket from a volunteer's tickets.
local function untake(v, id)
  local k = vkey(v)
  if redis.call('EXISTS', k) == 0 then return end
  local o = {}
  for _, x in ipairs(split(redis.call('HGET', k, 'tk'))) do
    if x ~= id then o[#o + 1] = x end
  end
  redis.call('HSET', k, 'tk', table.concat(o, ' '))
end

-- requeue puts a held ticket back in the queue at its old place; it may be
-- announced again.
local function requeue(id)
  redis.call('HSET', tkey(id), 'st', 'queued', 'q', NOW, 'rm', '0')
  enqueue(id)
  changed(id)
  keep(id)
end

-- array decodes a JSON array field: {} when absent, nil when unreadable.
local function array(s)
  if not s or s == '' then return {} end
  local ok, v = pcall(cjson.decode, s)
  if not ok or type(v) ~= 'table' then return nil end
  return v
end

-- append adds an encoded item to a JSON array field, untouched otherwise.
local function append(s, item)
  if not s or s == '' or s == '[]' or s == '{}' then return '[' .. item .. ']' end
  return string.sub(s, 1, -2) .. ',' .. item .. ']'
end

-- holds tells whether volunteer v holds ticket id.
local function holds(id, v)
  local st, cur = unpack(redis.call('HMGET', tkey(id), 'st', 'v'))
  return st == 'claimed' and cur == v
end
