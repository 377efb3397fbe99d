-- Marks a ticket as escalated with /alerte, by its volunteer (or by the
-- system: volunteer '0').
--
-- ARGV[5] ticket id   ARGV[6] volunteer
--
-- Returns {'ok'|'same'|'notholder'|'notfound', ticket}.
local id, v = ARGV[5], ARGV[6]
local st, al = unpack(redis.call('HMGET', tkey(id), 'st', 'al'))
if not st then return {'notfound', {}} end
if al == '1' or st == 'closed' then return {'same', ticket(id)} end
if v ~= '0' and not holds(id, v) then return {'notholder', ticket(id)} end
redis.call('HSET', tkey(id), 'al', '1')
changed(id)
keep(id)
return {'ok', ticket(id)}
