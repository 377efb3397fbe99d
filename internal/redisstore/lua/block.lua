-- The person blocked the bot: their outbox is emptied, the lease handed back,
-- and the flag kept with the conversation until they write again.
--
-- KEYS[1] conv hash   KEYS[2] out list   KEYS[3] lease string
-- ARGV[1] owner token
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'blk', 1)
end
redis.call('DEL', KEYS[2])
if redis.call('GET', KEYS[3]) == ARGV[1] then
  redis.call('DEL', KEYS[3])
end
return 1
