-- 群众点单 through the public API under load. Each request is a new order with a client
-- key, phone number and client address of its own; every tenth re-sends the previous
-- request unchanged (a double submission), which must answer 200 and place nothing.
-- $BENCH_BODY is the JSON body with {KEY} and {PHONE} to fill in.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local run = os.getenv("BENCH_RUN")  -- 8 hex digits, so keys differ from run to run
local template = os.getenv("BENCH_BODY")
local previous
created = {}  -- order numbers answered 201
replayed = {}  -- order numbers answered 200

function request()
  sent = sent + 1
  if sent % 10 == 0 then
    resent = resent + 1
    return previous
  end
  local key = string.format("%s-%04x-4000-8000-%012x", run, id, sent)
  local phone = string.format("13%d%08d", id % 10, sent)
  local body = template:gsub("{KEY}", key):gsub("{PHONE}", phone)
  previous = wrk.format("POST", wrk.path, {
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = bench.client_address(sent),
  }, body)
  return previous
end

function response(status, headers, body)
  local number = body:match('"number"%s*:%s*"([^"]+)"')
  if status == 201 and number then
    table.insert(created, number)
  elseif status == 200 and number then
    table.insert(replayed, number)
  else
    bench.unexpected(status)
  end
end

function done(summary, latency, requests)
  bench.write(summary, latency, {
    created = bench.gather("created") or {},
    replayed = bench.gather("replayed") or {},
  })
end
