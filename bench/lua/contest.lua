-- A knowledge contest's round under a burst (issue 21), one phase per run
-- ($BENCH_PHASE), as a phone sends it:
--   start:  POST the round's start form with the participant's cookie (and a device of
--           its own); a 302 to the first question carries the attempt cookie, recorded
--           with the line's number;
--   save:   POST one answer as JSON with the attempt cookie and the CSRF header; a 200
--           {"stored": 1} is an acknowledged answer, recorded by the line's number;
--   submit: POST the final submission with the attempt cookie; a 302 to the result page
--           is acknowledged.
-- Lines of $BENCH_LINES (prepared by bench/contest_burst.py): "cookie" or
-- "cookie<TAB>body". wrk runs one connection per thread here, so each answer belongs to
-- the thread's last request. Thread k of n takes lines k, k + n, ...; every tenth
-- request re-sends the previous one (a double tap): a start resumes the same attempt,
-- an answer stores nothing new, a submission is counted once. Lines that run out wrap
-- around (counted as re-sent).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local phase = os.getenv("BENCH_PHASE")
local csrf = os.getenv("BENCH_CSRF")
local threads = tonumber(os.getenv("BENCH_THREADS"))
local lines, numbers = {}, {}
local next_line = 0
local previous, previous_number, current
acked = {}  -- line numbers answered as expected (start: "number=attempt cookie")

function init(args)
  local n = 0
  for line in io.lines(os.getenv("BENCH_LINES")) do
    n = n + 1
    if (n - 1) % threads == id - 1 then
      table.insert(lines, line)
      table.insert(numbers, n)
    end
  end
end

local function build(line)
  local cookie, body = line:match("^([^\t]*)\t?(.*)$")
  local headers = {["Cookie"] = cookie .. "; csrftoken=" .. csrf}
  if phase == "save" then
    headers["Content-Type"] = "application/json"
    headers["X-CSRFToken"] = csrf
  else
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    body = "csrfmiddlewaretoken=" .. csrf
  end
  return wrk.format("POST", nil, headers, body)
end

function request()
  sent = sent + 1
  if sent % 10 == 0 and previous then
    resent = resent + 1
    current = nil
    return previous
  end
  next_line = next_line + 1
  local index = (next_line - 1) % #lines + 1
  if next_line > #lines then resent = resent + 1 end
  current = next_line <= #lines and numbers[index] or nil
  previous = build(lines[index])
  return previous
end

function response(status, headers, body)
  if phase == "start" then
    local location = headers["Location"] or ""
    local cookie = (headers["Set-Cookie"] or ""):match("(kepu_ca%d+=[^;]+)")
    if status == 302 and location:find("/q/") and cookie then
      if current then table.insert(acked, current .. "=" .. cookie) end
      return
    end
  elseif phase == "save" then
    if status == 200 and body:find('"stored": *1') then
      if current then table.insert(acked, current) end
      return
    end
  elseif phase == "submit" then
    if status == 302 and (headers["Location"] or ""):find("/result/") then
      if current then table.insert(acked, current) end
      return
    end
  end
  bench.unexpected(status)
end

function done(summary, latency, requests)
  bench.write(summary, latency, {acked = bench.gather("acked") or {}})
end
