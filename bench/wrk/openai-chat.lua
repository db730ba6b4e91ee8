-- One small chat completion per request (bench/openai-proxy.sh). Configured from the environment:
--   CHAT_PATH     request path and query (required)
--   CHAT_KEY      value of the api-key header (omitted when unset: the direct target has no key)
--   CHAT_RATE     total requests/s to pace at; unset = as fast as the connections allow (peak run)
--   CHAT_THREADS  wrk's -t, to split CHAT_RATE between threads (default 2)
-- done() prints one machine-readable line:
--   BENCH_RESULT requests= duration_us= rps= p50_us= p99_us= status_errors= connect= read= write= timeout=
-- status_errors is wrk's summary.errors.status: answers with a status >= 400.
wrk.method = "POST"
wrk.path = os.getenv("CHAT_PATH") or error("CHAT_PATH is not set")
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("CHAT_KEY")
if key ~= nil and key ~= "" then
  wrk.headers["api-key"] = key
end
wrk.body = '{"messages":[{"role":"user","content":"Say hello"}],"max_tokens":16}'

local rate = tonumber(os.getenv("CHAT_RATE") or "")
if rate ~= nil and rate > 0 then
  -- Paced run. wrk has no constant-rate mode; delay() is called before each request on a connection
  -- and wrk truncates its answer to whole milliseconds, so a fixed "connections / rate" wait would be
  -- off by up to 1 ms per request. Instead each thread keeps an absolute schedule (one slot every
  -- threads / rate seconds, read from CLOCK_MONOTONIC through LuaJIT's ffi) and a connection waits
  -- for the next free slot: the truncation only moves a request up to 1 ms early, the average rate
  -- stays exact. A thread that falls behind (its connections all busy, or wrk itself descheduled on
  -- a busy machine) sends the missed slots as soon as connections are free, but only the last
  -- CATCH_UP_MS of them: a longer stall loses slots and the achieved rate (printed by done()) is
  -- then below CHAT_RATE.
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clk_id, bench_timespec *tp);
  ]]
  local ts = ffi.new("bench_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local threads = tonumber(os.getenv("CHAT_THREADS") or "2")
  local interval_ms = 1000 * threads / rate
  local CATCH_UP_MS = 10
  local next_slot = nil
  delay = function()
    local now = now_ms()
    if next_slot == nil then
      next_slot = now
    elseif next_slot < now - CATCH_UP_MS then
      next_slot = now - CATCH_UP_MS
    end
    local wait = next_slot > now and next_slot - now or 0
    next_slot = next_slot + interval_ms
    return wait
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d status_errors=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99),
    e.status or 0, e.connect or 0, e.read or 0, e.write or 0, e.timeout or 0))
end
