-- Forgets a volunteer who left the group: the tickets they hold go back to
-- the queue, at their old place.
--
-- ARGV[5] volunteer
--
-- Returns the tickets put back.
local v = ARGV[5]
local vk = vkey(v)
local out = {}
for _, id in ipairs(split(redis.call('HGET', vk, 'tk'))) do
  if holds(id, v) then
    requeue(id)
    out[#out + 1] = ticket(id)
  end
end
redis.call('DEL', vk)
redis.call('SREM', VOLS, v)
return out
