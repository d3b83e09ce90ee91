-- Sign-ups on a public activity page under load, as the browser form posts them (CSRF
-- cookie and field). Each request has a phone number and client address of its own;
-- every tenth re-sends the previous request unchanged (its form token too, as a double
-- click does), which must answer with the same ticket and take no second place.
-- $BENCH_BODY is the form body with {KEY} (the form token) and {PHONE} to fill in;
-- $BENCH_PHONE_PREFIX makes the numbers differ from run to run.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local run = os.getenv("BENCH_RUN")  -- 8 hex digits, so form tokens differ from run to run
local template = os.getenv("BENCH_BODY")
local prefix = os.getenv("BENCH_PHONE_PREFIX")  -- "15" and three digits
local cookie = os.getenv("BENCH_COOKIE")
local previous
tickets = {}  -- ticket tokens of the redirects answered

function request()
  sent = sent + 1
  if sent % 10 == 0 then
    resent = resent + 1
    return previous
  end
  local phone = string.format("%s%d%05d", prefix, id % 10, sent)
  local key = string.format("%s%04x%012x", run, id, sent)
  previous = wrk.format("POST", wrk.path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["X-Forwarded-For"] = bench.client_address(sent),
  }, (template:gsub("{KEY}", key):gsub("{PHONE}", phone)))
  return previous
end

function response(status, headers, body)
  local token = status == 302 and (headers["Location"] or ""):match("/events/ticket/([%x-]+)/")
  if token then
    table.insert(tickets, token)
  else
    bench.unexpected(status)
  end
end

function done(summary, latency, requests)
  bench.write(summary, latency, {tickets = bench.gather("tickets") or {}})
end
