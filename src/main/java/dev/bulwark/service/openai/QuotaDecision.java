package dev.bulwark.service.openai;

/**
 * The quota's answer for one request.
 *
 * @param allowed            whether the request may go on
 * @param remainingRequests  requests left in the current minute after this one; -1 when unlimited
 * @param remainingTokens    tokens left in the current minute; -1 when unlimited
 * @param retryAfterSeconds  when refused, how long until a request would be allowed (at least 1)
 * @param exhausted          when refused, which limit: "requests" or "tokens"
 */
public record QuotaDecision(boolean allowed, long remainingRequests, long remainingTokens, long retryAfterSeconds, String exhausted) {

    static final QuotaDecision UNLIMITED = new QuotaDecision(true, -1, -1, 0, null);
}
