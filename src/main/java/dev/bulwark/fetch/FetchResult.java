package dev.bulwark.fetch;

/**
 * What a fetch produced. A refusal's reason is written to be shown to the client that supplied the
 * URL: it may name the URL's own host, never an address Bulwark resolved, so a caller cannot use the
 * fetcher to map the internal network.
 */
public sealed interface FetchResult {

    /**
     * The body of a successful fetch.
     *
     * @param contentType the answer's Content-Type as sent (may be empty)
     * @param bytes       the body, at most the policy's size limit; owned by the receiver, not copied
     */
    record Fetched(String contentType, byte[] bytes) implements FetchResult {
        @Override
        public String toString() {
            return "Fetched[" + contentType + ", " + bytes.length + " bytes]";
        }
    }

    /** @param reason why, safe to show to the client */
    record Refused(String reason) implements FetchResult {
    }
}
