-- Opens a ticket for a chat unless one is open already.
--
-- ARGV[5] chat   ARGV[6] category   ARGV[7] rank   ARGV[8] lang
-- ARGV[9] summary JSON ('' for none)   ARGV[10] seq TTL, ms
--
-- Returns {'existing'|'new', ticket}.
local chat = ARGV[5]
local cur = redis.call('GET', okey(chat))
if cur then
  local st = tget(cur, 'st')
  if st and st ~= 'closed' then
    keep(cur)
    return {'existing', ticket(cur)}
  end
end
-- A counter that expired while old tickets live must not reuse their ids.
local id
repeat
  id = tostring(redis.call('INCR', SEQ))
until redis.call('EXISTS', tkey(id)) == 0
redis.call('PEXPIRE', SEQ, ARGV[10])
local k = tkey(id)
redis.call('HSET', k, 'id', id, 'ch', chat, 'st', 'queued', 'cat', ARGV[6], 'rk', ARGV[7],
  'lg', ARGV[8], 'op', NOW, 'q', NOW, 'q0', NOW, 'n', 0, 'ver', 1)
if ARGV[9] ~= '' then redis.call('HSET', k, 'sum', ARGV[9]) end
redis.call('PEXPIRE', k, KEEP)
redis.call('SET', okey(chat), id, 'PX', KEEP)
enqueue(id)
post('card:' .. id)
return {'new', ticket(id)}
