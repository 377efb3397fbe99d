-- Creates or updates a volunteer's pseudonym, duty, capacity and private
-- flag, not their tickets.
--
-- ARGV[5] volunteer   ARGV[6] pseudonym   ARGV[7] off '1'|'0'
-- ARGV[8] capacity   ARGV[9] private '1'|'0'
local vk = vkey(ARGV[5])
redis.call('HSET', vk, 'id', ARGV[5], 'ps', ARGV[6], 'off', ARGV[7], 'cap', ARGV[8], 'pv', ARGV[9])
redis.call('PEXPIRE', vk, KEEP)
redis.call('SADD', VOLS, ARGV[5])
redis.call('PEXPIRE', VOLS, KEEP)
return 1
