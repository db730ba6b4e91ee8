package dev.bulwark.fetch;

/**
 * A fetch stopped on purpose; its message becomes {@link FetchResult.Refused#reason()} and so must be
 * safe to show to the client. Without a stack trace: refusals are expected, and cheap.
 */
final class FetchRefusedException extends Exception {
    FetchRefusedException(String reason) {
        super(reason, null, false, false);
    }
}
