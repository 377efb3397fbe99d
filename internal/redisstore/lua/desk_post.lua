-- Adds an entry to the board (a second post keeps the first time).
--
-- ARGV[5] entry
post(ARGV[5])
return 1
