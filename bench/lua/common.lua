-- Shared by the wrk scripts of bench/run.py: thread bookkeeping, per-request client
-- addresses, status counting and the JSON result file. wrk runs setup() and done() in
-- its main Lua state and request()/response() in one state per thread; results travel
-- from the threads to done() through thread:get().

bench = {threads = {}}

function setup(thread)
  table.insert(bench.threads, thread)
  thread:set("id", #bench.threads)
end

-- Per thread: requests sent (re-sent ones among them), and unexpected answers by status
-- (keys are strings).
sent = 0
resent = 0
unexpected = {}

function bench.unexpected(status)
  local key = tostring(status)
  unexpected[key] = (unexpected[key] or 0) + 1
end

-- A client address of its own for each request, as a reverse proxy would forward it
-- (the public submission limits are per client address).
function bench.client_address(n)
  return string.format("10.%d.%d.%d", id % 256, math.floor(n / 256) % 256, n % 256)
end

-- The thread-local global `name` of every thread: numbers added, tables concatenated
-- (lists) or merged by adding their values (maps).
function bench.gather(name)
  local total
  for _, thread in ipairs(bench.threads) do
    local value = thread:get(name)
    if type(value) == "number" then
      total = (total or 0) + value
    elseif type(value) == "table" then
      total = total or {}
      if #value > 0 then
        for _, item in ipairs(value) do table.insert(total, item) end
      else
        for key, count in pairs(value) do total[key] = (total[key] or 0) + count end
      end
    end
  end
  return total
end

local function encode(value)
  local kind = type(value)
  if kind == "number" then
    if value == math.floor(value) and math.abs(value) < 2^53 then
      return string.format("%d", value)
    end
    return string.format("%.6f", value)
  elseif kind == "string" then
    return '"' .. value:gsub('[%c"\\]', function(c)
      return string.format("\\u%04x", c:byte())
    end) .. '"'
  elseif kind == "boolean" then
    return tostring(value)
  elseif kind == "table" then
    local parts = {}
    if value[1] ~= nil or next(value) == nil then
      for _, item in ipairs(value) do table.insert(parts, encode(item)) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    for key, item in pairs(value) do
      table.insert(parts, encode(tostring(key)) .. ":" .. encode(item))
    end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return "null"
end

-- The figures every script reports, plus `extra`, written to $BENCH_OUT as JSON.
function bench.write(summary, latency, extra)
  local errors = summary.errors
  local result = {
    requests = summary.requests,
    duration_s = summary.duration / 1e6,
    rps = summary.requests / (summary.duration / 1e6),
    p50_ms = latency:percentile(50) / 1000,
    p95_ms = latency:percentile(95) / 1000,
    p99_ms = latency:percentile(99) / 1000,
    max_ms = latency.max / 1000,
    sent = bench.gather("sent") or 0,
    resent = bench.gather("resent") or 0,
    unexpected = bench.gather("unexpected") or {},
    socket_errors = {
      connect = errors.connect, read = errors.read, write = errors.write,
      timeout = errors.timeout,
    },
  }
  for key, value in pairs(extra or {}) do result[key] = value end
  local file = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  file:write(encode(result))
  file:close()
end
