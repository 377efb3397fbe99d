-- Closes a ticket: by its volunteer, or by the person or the system
-- (volunteer '0'). Erasing also strips it to anonymous counts.
--
-- ARGV[5] ticket id   ARGV[6] volunteer   ARGV[7] outcome   ARGV[8] erase '1'|'0'
--
-- Returns {'ok'|'same'|'notholder'|'notfound', ticket}.
local id, v, erase = ARGV[5], ARGV[6], ARGV[8] == '1'
local k = tkey(id)
local st, cur, out, chat = unpack(redis.call('HMGET', k, 'st', 'v', 'out', 'ch'))
if not st then return {'notfound', {}} end
if erase then
  if out == 'erased' then return {'same', ticket(id)} end
else
  if st == 'closed' then return {'same', ticket(id)} end
  if v ~= '0' and (st ~= 'claimed' or cur ~= v) then return {'notholder', ticket(id)} end
end
if st == 'claimed' and cur then untake(cur, id) end
redis.call('ZREM', QUEUE, id)
redis.call('ZREM', BOARD, 'remind:' .. id)
if chat and redis.call('GET', okey(chat)) == id then redis.call('DEL', okey(chat)) end
redis.call('HSET', k, 'out', ARGV[7])
if st ~= 'closed' then
  redis.call('HSET', k, 'st', 'closed', 'cl', NOW)
  redis.call('PEXPIRE', k, CLOSED)
end
if erase then redis.call('HDEL', k, 'ch', 'sum', 'nt', 'rc', 'v', 'ps') end
changed(id)
return {'ok', ticket(id)}
