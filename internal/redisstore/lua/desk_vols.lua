-- Lists the known volunteers, dropping those whose record expired.
--
-- Returns their ids.
local out = {}
for _, v in ipairs(redis.call('SMEMBERS', VOLS)) do
  if redis.call('EXISTS', vkey(v)) == 1 then
    out[#out + 1] = v
  else
    redis.call('SREM', VOLS, v)
  end
end
return out
