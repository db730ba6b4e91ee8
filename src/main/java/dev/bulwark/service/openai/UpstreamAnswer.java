package dev.bulwark.service.openai;

/**
 * An error answer for the client, built from what went wrong upstream.
 *
 * @param retryAfterSeconds for a 429, else 0
 */
record UpstreamAnswer(int status, byte[] body, long retryAfterSeconds) {
}
