-- The smallest authenticated request: TLS, client address, account resolution and the key check,
-- then a 404 from the router (no service work). Measures the security pipeline itself.
wrk.method = "GET"
wrk.path = "/accounts/" .. os.getenv("BENCH_ACCOUNT") .. "/bench/noop"
wrk.headers["Ocp-Apim-Subscription-Key"] = os.getenv("BENCH_KEY")

done = function(summary, latency, requests)
  local non404 = summary.requests - (summary.errors.status or 0)
  io.write(string.format("non-2xx/3xx answers: %d of %d (expected: all, they are 404s)\n", summary.errors.status or 0, summary.requests))
end
