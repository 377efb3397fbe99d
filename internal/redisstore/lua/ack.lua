-- Acknowledges that the outbox of one revision was sent, in one round trip.
--
-- KEYS[1] conv hash   KEYS[2] msgs sorted set
-- ARGV[1] revision whose outbox was sent
-- ARGV[2] now, unix seconds (score of the sent ids)
-- ARGV[3] now - 48 h, unix seconds (older ids are trimmed)
-- ARGV[4] msgs expiry in seconds (48 h)
-- ARGV[5..] ids of the messages sent
--
-- Returns 1 when the outbox was cleared, 0 when it was left alone.
local cleared = 0
-- Only the outbox of that revision: a newer commit carries its own, not yet
-- sent. HDEL never creates the hash, so an erased chat stays erased.
local rev = redis.call('HGET', KEYS[1], 'rev')
if rev and tonumber(rev) == tonumber(ARGV[1]) then
  cleared = redis.call('HDEL', KEYS[1], 'ob')
end

-- The sent ids are journaled even when the chat was erased meanwhile: they
-- are on the person's phone and /effacer must be able to delete them.
if #ARGV > 4 then
  for i = 5, #ARGV do
    redis.call('ZADD', KEYS[2], ARGV[2], ARGV[i])
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[4])
end
return cleared
