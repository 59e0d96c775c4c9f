-- The mixed load of `make bench` (benchmarks/run.py writes the two files):
--
--     wrk -t2 -c16 -d30s -s benchmarks/mixed_load.lua http://127.0.0.1:PORT -- PAGES FRESH THREADS
--
-- 70% of the requests ask again for the public pages listed in PAGES (answered from the page cache);
-- 30% ask for an address of FRESH, each once: list filters with values their forms accept (pages rendered
-- anew), and public pages with an unknown parameter (?utm_x=...), which the cache must not store.
-- The last line printed is the run's figures as JSON.

local threads = {}

local function lines(name)
  local found = {}
  for line in io.lines(name) do
    found[#found + 1] = line
  end
  return found
end

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads)
end

function init(args)
  pages = lines(args[1])
  fresh = {}
  -- Each thread asks for its own share of the fresh addresses, so none is asked for twice.
  local all, share = lines(args[2]), tonumber(args[3])
  for n = id, #all, share do
    fresh[#fresh + 1] = all[n]
  end
  math.randomseed(id)
  asked, repeated, unique, junk, reused, failed = 0, 0, 0, 0, 0, 0
end

function request()
  if math.random() < 0.7 then
    repeated = repeated + 1
    return wrk.format("GET", pages[math.random(#pages)])
  end
  local path = fresh[asked % #fresh + 1]
  asked = asked + 1
  if asked > #fresh then
    reused = reused + 1 -- the share ran out: its addresses come round again
  end
  if string.find(path, "utm_x=", 1, true) then
    junk = junk + 1
  else
    unique = unique + 1
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local totals = { repeated = 0, unique = 0, junk = 0, reused = 0, failed = 0 }
  for _, thread in ipairs(threads) do
    for name, value in pairs(totals) do
      totals[name] = value + thread:get(name)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "non_2xx": %d, "socket_errors": %d, "p50_ms": %.2f, "p99_ms": %.2f, '
      .. '"repeated": %d, "unique": %d, "junk": %d, "fresh_asked_again": %d}\n',
    summary.requests,
    summary.duration / 1e6,
    totals.failed,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    totals.repeated,
    totals.unique,
    totals.junk,
    totals.reused
  ))
end
