-- Raises an open ticket of normal rank to the alarm rank; a queued one
-- moves up in the queue.
--
-- ARGV[5] ticket id
--
-- Returns {'ok'|'same'|'notfound', ticket}.
local id = ARGV[5]
local st, rk = unpack(redis.call('HMGET', tkey(id), 'st', 'rk'))
if not st then return {'notfound', {}} end
if st == 'closed' or tonumber(rk) ~= 2 then return {'same', ticket(id)} end
redis.call('HSET', tkey(id), 'rk', 1)
if st == 'queued' then enqueue(id) end
changed(id)
keep(id)
return {'ok', ticket(id)}
