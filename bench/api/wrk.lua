-- wrk script of bench/api/run.ts. Every request is one line of the file RW_LINES, picked at
-- random: a path to GET (RW_METHOD=GET), or a JSON body to POST to RW_PATH (RW_METHOD=POST),
-- with the Authorization header RW_AUTH. When done, one line `WRK_JSON {...}` for the bench.
local lines = {}
for line in io.lines(os.getenv("RW_LINES")) do lines[#lines + 1] = line end
local method = os.getenv("RW_METHOD")
local path = os.getenv("RW_PATH")
local auth = os.getenv("RW_AUTH")

setup = function(thread)
  thread:set("seed", math.random(1, 2147483647))
end

init = function()
  -- Each thread its own sequence of picks (`seed` is the global setup gave this thread).
  math.randomseed(seed or os.time())
end

request = function()
  local line = lines[math.random(#lines)]
  if method == "GET" then
    return wrk.format("GET", line, { ["Authorization"] = auth })
  end
  return wrk.format("POST", path, { ["Authorization"] = auth, ["Content-Type"] = "application/json" }, line)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"statusErrors":%d,"timeouts":%d,"p50Us":%d,"p99Us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
