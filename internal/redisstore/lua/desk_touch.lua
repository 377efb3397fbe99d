-- Records activity on a ticket: one more message relayed, and the
-- volunteer (unless '0') answered it last.
--
-- ARGV[5] ticket id   ARGV[6] volunteer
--
-- Returns {'ok'|'same'|'notholder'|'notfound'}.
local id, v = ARGV[5], ARGV[6]
local st = tget(id, 'st')
if not st then return {'notfound'} end
if v ~= '0' and not holds(id, v) then return {'notholder'} end
if st == 'closed' then return {'same'} end
redis.call('HINCRBY', tkey(id), 'n', 1)
if v ~= '0' then
  redis.call('HSET', vkey(v), 'last', id)
  redis.call('PEXPIRE', vkey(v), KEEP)
end
keep(id)
return {'ok'}
