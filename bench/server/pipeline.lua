-- wrk script: sends DEPTH copies of the request in one write and counts every response, as
-- the TechEmpower plaintext test does ("wrk -s pipeline.lua URL -- 16").
init = function(args)
  local depth = tonumber(args[1]) or 16
  local r = {}
  for i = 1, depth do
    r[i] = wrk.format()
  end
  req = table.concat(r)
end

request = function()
  return req
end
