package dev.bulwark.service.openai;

/**
 * The body Bulwark sends the upstream, and what it learned from the client's.
 *
 * @param body       the JSON to send (the client's, with {@code model} replaced by the upstream's)
 * @param stream     the client asked for a stream
 * @param stripUsage Bulwark added {@code stream_options.include_usage} to count tokens, so the
 *                   usage event is to be left out of the client's stream
 */
record PreparedRequest(byte[] body, boolean stream, boolean stripUsage) {
}
