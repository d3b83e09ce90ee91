-- Public survey responses under load, as the questionnaire page posts them (CSRF cookie
-- and field). Each request is a complete questionnaire prepared in advance by
-- bench/literacy_survey.py (one line of $BENCH_BODIES: a signed start token with its own
-- nonce, the answers to that token's form, the respondent's demographics) and comes from a
-- client address of its own, without a device cookie (a new phone each time); every tenth
-- re-sends the previous request unchanged (a double tap), which must be answered with the
-- same receipt and store nothing more. Thread k of n takes lines k, k + n, k + 2n, ...
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local cookie = os.getenv("BENCH_COOKIE")
local threads = tonumber(os.getenv("BENCH_THREADS"))
local bodies = {}
local next_line = 0
local previous
receipts = {}  -- receipt numbers of the redirects answered

function init(args)
  local n = 0
  for line in io.lines(os.getenv("BENCH_BODIES")) do
    n = n + 1
    if (n - 1) % threads == id - 1 then table.insert(bodies, line) end
  end
end

function request()
  sent = sent + 1
  if sent % 10 == 0 and previous then
    resent = resent + 1
    return previous
  end
  next_line = next_line + 1
  local body = bodies[(next_line - 1) % #bodies + 1]  -- wraps only if the file runs out
  previous = wrk.format("POST", wrk.path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["X-Forwarded-For"] = bench.client_address(sent),
  }, body)
  return previous
end

function response(status, headers, body)
  local receipt = status == 302 and (headers["Location"] or ""):match("receipt=(%x+)")
  if receipt then
    table.insert(receipts, receipt)
  else
    bench.unexpected(status)
  end
end

function done(summary, latency, requests)
  bench.write(summary, latency, {receipts = bench.gather("receipts") or {}})
end
