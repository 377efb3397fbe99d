-- Renews (ARGV[2] > 0) or hands back (ARGV[2] = 0) a lease this owner holds.
--
-- KEYS[1] lease string   ARGV[1] owner token   ARGV[2] lease expiry, ms
--
-- Returns 1 when the owner held it, 0 otherwise.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[2] == '0' then
  redis.call('DEL', KEYS[1])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
