-- Shared wrk machinery for the benchmark harness: times whole operations (an operation may take
-- several HTTP requests), stops after a number of operations, and prints one JSON summary line.
--
-- A target script builds an operation table and hands it to `measure.run`:
--   op.request()                      -> the next raw request (wrk.format(...))
--   op.response(status, headers, body) -> finished, ok   (finished=false: the operation sends another request)
--
-- Run wrk with as many threads as connections (-tN -cN): wrk's request/response callbacks carry no
-- connection, so one connection per thread is what lets a thread know which operation it is timing.
-- Environment: OP_LIMIT (operations per thread, default unlimited), BENCH_LABEL (echoed back).
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *tp);
int getpid(void);
long syscall(long number, long pid, long tid, long signal);
]]

local measure = {}
local clock = ffi.new("bench_timespec")

--- Monotonic seconds.
function measure.now()
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) + tonumber(clock.tv_nsec) * 1e-9
end

--- Ends the whole wrk run early: SIGINT to the main thread (tgkill), which wrk treats as "duration over".
local function stop_run()
  local tgkill = ffi.arch == "arm64" and 131 or 234
  local pid = ffi.C.getpid()
  ffi.C.syscall(tgkill, pid, pid, 2)
end

local function percentile(sorted, p)
  if #sorted == 0 then return 0 end
  local index = math.max(1, math.ceil(p / 100 * #sorted))
  return sorted[index]
end

local function json_value(v)
  if type(v) == "number" then
    if v ~= v or v == math.huge then return "null" end
    return string.format("%.6g", v)
  end
  return '"' .. tostring(v):gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

--- Installs wrk's callbacks for `op`.
function measure.run(op)
  local threads = {}

  function setup(thread)
    threads[#threads + 1] = thread
    thread:set("thread_number", #threads)
  end

  function init(args)
    latencies, ok_count, error_count = {}, 0, 0
    first_start, last_end, op_start = nil, nil, nil
    limit = tonumber(os.getenv("OP_LIMIT") or "")
    sample_error = nil
    math.randomseed(os.time() * 1000 + thread_number)
    if op.init then op.init(thread_number) end
  end

  function request()
    if op_start == nil then
      op_start = measure.now()
      first_start = first_start or op_start
    end
    return op.request()
  end

  function response(status, headers, body)
    local finished, ok = op.response(status, headers, body)
    if not finished then return end
    local now = measure.now()
    if ok then
      ok_count = ok_count + 1
      latencies[#latencies + 1] = (now - op_start) * 1000
    else
      error_count = error_count + 1
      sample_error = sample_error or (tostring(status) .. " " .. string.sub(body or "", 1, 300))
    end
    last_end, op_start = now, nil
    if limit and ok_count + error_count >= limit then stop_run() end
  end

  function done(summary, latency, requests)
    local all, ok, errors, first, last, sample = {}, 0, 0, nil, nil, nil
    for _, thread in ipairs(threads) do
      for _, v in ipairs(thread:get("latencies") or {}) do all[#all + 1] = v end
      ok = ok + (thread:get("ok_count") or 0)
      errors = errors + (thread:get("error_count") or 0)
      local f, l = thread:get("first_start"), thread:get("last_end")
      if f and (first == nil or f < first) then first = f end
      if l and (last == nil or l > last) then last = l end
      sample = sample or thread:get("sample_error")
    end
    table.sort(all)
    local seconds = (first and last and last > first) and (last - first) or 0
    local sum = 0
    for _, v in ipairs(all) do sum = sum + v end
    local e = summary.errors
    local fields = {
      label = os.getenv("BENCH_LABEL") or "",
      ok = ok, errors = errors, seconds = seconds,
      ops_per_s = seconds > 0 and ok / seconds or 0,
      p50_ms = percentile(all, 50), p90_ms = percentile(all, 90), p99_ms = percentile(all, 99),
      max_ms = all[#all] or 0, mean_ms = #all > 0 and sum / #all or 0,
      http_requests = summary.requests,
      socket_errors = e.connect + e.read + e.write + e.timeout,
      sample_error = sample or "",
    }
    local parts = {}
    for k, v in pairs(fields) do parts[#parts + 1] = '"' .. k .. '":' .. json_value(v) end
    io.write("BENCH_RESULT {" .. table.concat(parts, ",") .. "}\n")
  end
end

local words = { "printer", "error", "please", "help", "server", "login", "update", "issue", "email", "network",
  "invoice", "password", "laptop", "backup", "license", "outage", "firewall", "vpn", "refund", "mailbox" }
-- WORDS="a b c" replaces them (`ab.sh -w`): e.g. words that occur nowhere in a loaded database,
-- for tickets that no word search matches.
local custom = os.getenv("WORDS")
if custom ~= nil and custom:match("%S") then
  words = {}
  for word in custom:gmatch("%S+") do words[#words + 1] = word end
end

--- `n` random helpdesk words separated by spaces (titles and message bodies of both targets).
function measure.sentence(n)
  local out = {}
  for i = 1, n do out[i] = words[math.random(#words)] end
  return table.concat(out, " ")
end

--- A random integer in [low, high].
function measure.pick(low, high)
  return math.random(low, math.max(low, high))
end

return measure
