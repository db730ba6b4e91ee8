package dev.bulwark.service.openai;

import io.vertx.core.http.HttpServerResponse;

/** Azure OpenAI's quota headers, sent on answers of deployments that have a limit. */
final class QuotaHeaders {
    private QuotaHeaders() {
    }

    static void put(HttpServerResponse out, QuotaDecision q) {
        if (q.remainingRequests() >= 0) {
            out.putHeader("x-ratelimit-remaining-requests", Long.toString(q.remainingRequests()));
        }
        if (q.remainingTokens() >= 0) {
            out.putHeader("x-ratelimit-remaining-tokens", Long.toString(q.remainingTokens()));
        }
    }
}
