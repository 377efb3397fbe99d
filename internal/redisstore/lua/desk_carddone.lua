-- Records a card's message id and takes the card off the board, unless the
-- ticket changed again since it was read for rendering.
--
-- ARGV[5] ticket id   ARGV[6] card message id (0 keeps)   ARGV[7] version rendered
--
-- Returns 1 when the entry left the board, 0 when it stays.
local id = ARGV[5]
local k = tkey(id)
if redis.call('EXISTS', k) == 0 then
  redis.call('ZREM', BOARD, 'card:' .. id)
  return 1
end
if tonumber(ARGV[6]) ~= 0 then redis.call('HSET', k, 'cd', ARGV[6]) end
if redis.call('HGET', k, 'ver') == ARGV[7] then
  redis.call('ZREM', BOARD, 'card:' .. id)
  return 1
end
return 0
