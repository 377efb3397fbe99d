-- Publishes a flow version if its base is still the head.
--
-- Every key shares the hash tag {flows}, so all of them live in one Redis
-- Cluster slot; the Go side names each of them in KEYS.
--
-- KEYS[1] head (string)        KEYS[2] journal (list, newest first)
-- KEYS[3] the new version's hash v:<base+1>
-- KEYS[4 .. 3+ARGV[8]] the older versions kept, newest first
-- KEYS[4+ARGV[8]], when given: the version that falls out of the window
-- ARGV[1] base   ARGV[2] TTL, ms   ARGV[3] meta (JSON)   ARGV[4] flow
-- ARGV[5] resources   ARGV[6] channel   ARGV[7] journal cap
-- ARGV[8] how many older versions are kept
--
-- Returns {0, head} when the base is not the head, {1, n} once published.
local HEAD, JOURNAL, NEW = KEYS[1], KEYS[2], KEYS[3]
local base = tonumber(ARGV[1])
local ttl = ARGV[2]
local older = tonumber(ARGV[8])

local cur = redis.call('GET', HEAD)
local head = 0
if cur then
  head = tonumber(cur)
  if not head then
    return redis.error_reply('CORRUPT head')
  end
end
if head ~= base then
  return {0, head}
end
local n = base + 1

redis.call('DEL', NEW)
redis.call('HSET', NEW, 'meta', ARGV[3], 'flow', ARGV[4], 'res', ARGV[5])
redis.call('PEXPIRE', NEW, ttl)
redis.call('SET', HEAD, n, 'PX', ttl)
redis.call('LPUSH', JOURNAL, ARGV[3])
redis.call('LTRIM', JOURNAL, 0, tonumber(ARGV[7]) - 1)
redis.call('PEXPIRE', JOURNAL, ttl)
for i = 4, 3 + older do
  redis.call('PEXPIRE', KEYS[i], ttl)
end
if #KEYS > 3 + older then
  redis.call('DEL', KEYS[#KEYS])
end
redis.call('PUBLISH', ARGV[6], n)
return {1, n}
