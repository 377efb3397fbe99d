-- Sets an unreadable conversation aside for an operator to look at, for a
-- while, so that the person can start afresh.
--
-- KEYS[1] conv hash   KEYS[2] where it is kept   ARGV[1] how long, ms
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1
