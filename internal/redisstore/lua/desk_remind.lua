-- Posts "remind:<id>", once, for every queued ticket that entered the queue
-- before a cutoff and was not announced again yet. It also drops from the
-- queue what expired or left it.
--
-- ARGV[5] cutoff, unix ms
--
-- Returns how many were posted.
local cutoff = tonumber(ARGV[5])
local n = 0
for _, id in ipairs(redis.call('ZRANGE', QUEUE, 0, -1)) do
  local st, q, rm = unpack(redis.call('HMGET', tkey(id), 'st', 'q', 'rm'))
  if st ~= 'queued' then
    redis.call('ZREM', QUEUE, id)
  elseif rm ~= '1' and (tonumber(q) or 0) < cutoff then
    redis.call('HSET', tkey(id), 'rm', '1')
    post('remind:' .. id)
    n = n + 1
  end
end
return n
