-- One short sentence per request, the common Language call. The key comes from the environment.
wrk.method = "POST"
wrk.path = "/accounts/" .. os.getenv("BENCH_ACCOUNT") .. "/language/:analyze-text?api-version=2023-04-01"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Ocp-Apim-Subscription-Key"] = os.getenv("BENCH_KEY")
wrk.body = '{"kind":"LanguageDetection","analysisInput":{"documents":[{"id":"1","text":"The quick brown fox jumps over the lazy dog near the river bank."}]}}'
