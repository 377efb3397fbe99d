-- Gives a queued ticket to a volunteer: of many claiming at once, exactly
-- one wins. Unless the ticket is gone or held, the volunteer's record is
-- created or refreshed, then their duty, private chat, recusal and
-- capacity are checked.
--
-- ARGV[5] ticket id   ARGV[6] volunteer   ARGV[7] pseudonym ('' keeps)
-- ARGV[8] capacity (0 keeps)   ARGV[9] private '1'|'0'   ARGV[10] off '1'|'0'
--
-- Returns {'won'|'taken'|'full'|'recused'|'gone'|'off'|'noprivate', ticket}.
local id, v = ARGV[5], ARGV[6]
local k = tkey(id)
local st, cur, rc = unpack(redis.call('HMGET', k, 'st', 'v', 'rc'))
if not st or st == 'closed' then return {'gone', ticket(id)} end
if st == 'claimed' then
  if cur == v then return {'won', ticket(id)} end
  return {'taken', ticket(id)}
end
if st ~= 'queued' then return corrupt('status of ticket ' .. id) end

-- The volunteer's record, created or refreshed from what the caller knows.
local vk = vkey(v)
local set = {'HSET', vk, 'id', v, 'pv', ARGV[9]}
if ARGV[7] ~= '' then set[#set + 1] = 'ps'; set[#set + 1] = ARGV[7] end
if tonumber(ARGV[8]) > 0 then set[#set + 1] = 'cap'; set[#set + 1] = ARGV[8] end
if ARGV[10] == '1' then set[#set + 1] = 'off'; set[#set + 1] = '1' end
redis.call(unpack(set))
redis.call('PEXPIRE', vk, KEEP)
redis.call('SADD', VOLS, v)
redis.call('PEXPIRE', VOLS, KEEP)

local recused = array(rc)
if not recused then return corrupt('recusals of ticket ' .. id) end
local vn = tonumber(v)
for _, x in ipairs(recused) do
  if x == vn then return {'recused', ticket(id)} end
end
local off, pv, cap, tk = unpack(redis.call('HMGET', vk, 'off', 'pv', 'cap', 'tk'))
if off == '1' then return {'off', ticket(id)} end
if pv ~= '1' then return {'noprivate', ticket(id)} end
-- What the volunteer holds, forgetting what closed or expired meanwhile.
local held = {}
for _, x in ipairs(split(tk)) do
  if x ~= id and holds(x, v) then held[#held + 1] = x end
end
cap = tonumber(cap) or 0
if cap < 1 then cap = 1 end
if #held >= cap then
  redis.call('HSET', vk, 'tk', table.concat(held, ' '))
  return {'full', ticket(id)}
end
held[#held + 1] = id
redis.call('HSET', vk, 'tk', table.concat(held, ' '), 'last', id)
redis.call('HSET', k, 'st', 'claimed', 'v', v, 'ps', redis.call('HGET', vk, 'ps') or '', 'tt', NOW)
redis.call('ZREM', QUEUE, id)
redis.call('ZREM', BOARD, 'remind:' .. id)
changed(id)
keep(id)
return {'won', ticket(id)}
