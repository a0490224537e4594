-- wrk script for throughput.py: GET /open, or GET /me with a bearer token from the file
-- in BENCH_TOKENS (first line: the warm token, sent on every request; the others: the cold
-- pool, a new token on every request). Prints one JSON line of results when done.
local mode = os.getenv("BENCH_MODE") or "open"
local tokens = {}
local index = 1

init = function(args)
  local file = os.getenv("BENCH_TOKENS")
  if file ~= nil and mode ~= "open" then
    for line in io.lines(file) do
      if line ~= "" then tokens[#tokens + 1] = line end
    end
  end
end

request = function()
  if mode == "open" then
    return wrk.format("GET", "/open")
  end
  local token = tokens[1]
  if mode == "cold" then
    index = index + 1
    if index > #tokens then index = 2 end
    token = tokens[index]
  end
  return wrk.format("GET", "/me", {["Authorization"] = "Bearer " .. token})
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors_connect": %d, "errors_read": %d, '
      .. '"errors_write": %d, "errors_status": %d, "errors_timeout": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean))
end
