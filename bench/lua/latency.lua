-- Latency of one GET (path and cookie on wrk's command line). Every answer but 200 is
-- counted: a redirect to the login page must not pass for a fast page. Each request
-- comes from a client address of its own, as many users' requests through a reverse
-- proxy would (public pages limit requests per address).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local headers = {}

function init(args)
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
end

function request()
  sent = sent + 1
  headers["X-Forwarded-For"] = bench.client_address(sent)
  return wrk.format(nil, nil, headers)
end

function response(status, headers, body)
  if status ~= 200 then
    bench.unexpected(status)
  end
end

function done(summary, latency, requests)
  bench.write(summary, latency)
end
