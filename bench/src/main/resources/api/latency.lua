-- wrk script for `novacron bench api`: sends the bearer token and, when the run ends, prints one
-- machine-readable line that ApiBench parses (wrk's own summary shows no p95).
--   wrk ... -s latency.lua <url> -- <token>
local token

function init(args)
  token = args[1]
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Accept"] = "application/json"
end

function done(summary, latency, requests)
  -- Latencies are in microseconds; non-2xx answers count as errors so a 401 run cannot pass.
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format(
      "NOVACRON_WRK requests=%d duration_us=%d errors=%d non2xx=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d\n",
      summary.requests, summary.duration, errors, summary.errors.status,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
