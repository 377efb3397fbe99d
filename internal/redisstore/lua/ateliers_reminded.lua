-- Marks a session's reminders as sent, once.
--
-- KEYS[1] session hash   KEYS[2] marker
-- ARGV[1] now, unix ms   ARGV[2] how long a session outlives its end, ms
--
-- Returns 1 for the first caller, 0 for the others, -1 for no session.
local ends = redis.call('HGET', KEYS[1], 'end')
if not ends then
  return -1
end
local ttl = tonumber(ends) + tonumber(ARGV[2]) - tonumber(ARGV[1])
if ttl <= 0 then
  ttl = 1000
end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ttl) then
  return 1
end
return 0
