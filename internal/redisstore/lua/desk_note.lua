-- Adds an internal note to a ticket a volunteer holds, once per note id.
--
-- ARGV[5] ticket id   ARGV[6] volunteer   ARGV[7] note id   ARGV[8] note JSON
--
-- Returns {'ok'|'same'|'notholder'|'notfound', ticket}.
local id, v = ARGV[5], ARGV[6]
local k = tkey(id)
local st, nt = unpack(redis.call('HMGET', k, 'st', 'nt'))
if not st then return {'notfound', {}} end
local notes = array(nt)
if not notes then return corrupt('notes of ticket ' .. id) end
local nid = tonumber(ARGV[7])
if nid ~= 0 then
  for _, n in ipairs(notes) do
    if type(n) == 'table' and n.i == nid then return {'same', ticket(id)} end
  end
end
if not holds(id, v) then return {'notholder', ticket(id)} end
redis.call('HSET', k, 'nt', append(nt, ARGV[8]))
keep(id)
redis.call('PEXPIRE', vkey(v), KEEP)
return {'ok', ticket(id)}
