-- Lists up to a number of queued tickets, next first, dropping from the
-- queue what expired or left it.
--
-- ARGV[5] limit
--
-- Returns a list of tickets.
local limit = tonumber(ARGV[5])
local out = {}
for _, id in ipairs(redis.call('ZRANGE', QUEUE, 0, -1)) do
  if #out >= limit then break end
  if tget(id, 'st') == 'queued' then
    out[#out + 1] = ticket(id)
  else
    redis.call('ZREM', QUEUE, id)
  end
end
return out
