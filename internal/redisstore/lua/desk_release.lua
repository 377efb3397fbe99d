-- Puts a ticket a volunteer holds back in the queue, at its old place, with
-- an optional note; a recusal bars the volunteer from it for good.
--
-- ARGV[5] ticket id   ARGV[6] volunteer   ARGV[7] note JSON ('' for none)
-- ARGV[8] note id   ARGV[9] recuse '1'|'0'
--
-- Returns {'ok'|'same'|'notholder'|'notfound', ticket}.
local id, v = ARGV[5], ARGV[6]
local k = tkey(id)
local st, cur, nt, rc = unpack(redis.call('HMGET', k, 'st', 'v', 'nt', 'rc'))
if not st then return {'notfound', {}} end
if st == 'queued' or st == 'closed' then return {'same', ticket(id)} end
if st ~= 'claimed' or cur ~= v then return {'notholder', ticket(id)} end
local notes, recused = array(nt), array(rc)
if not notes then return corrupt('notes of ticket ' .. id) end
if not recused then return corrupt('recusals of ticket ' .. id) end
if ARGV[7] ~= '' then
  local nid, dup = tonumber(ARGV[8]), false
  for _, n in ipairs(notes) do
    if nid ~= 0 and type(n) == 'table' and n.i == nid then dup = true end
  end
  if not dup then redis.call('HSET', k, 'nt', append(nt, ARGV[7])) end
end
if ARGV[9] == '1' then
  local vn, known = tonumber(v), false
  for _, x in ipairs(recused) do
    if x == vn then known = true end
  end
  if not known then redis.call('HSET', k, 'rc', append(rc, v)) end
end
untake(v, id)
redis.call('PEXPIRE', vkey(v), KEEP)
requeue(id)
return {'ok', ticket(id)}
