package dev.bulwark.service.language;

/**
 * Raised while reading a request that must be refused as a whole; carries the answer to give.
 * Bad input is expected traffic, so no stack trace is captured.
 */
final class InvalidRequestException extends Exception {

    private final transient LanguageError error;

    InvalidRequestException(LanguageError error) {
        super(error.innerMessage() != null ? error.innerMessage() : error.message(), null, false, false);
        this.error = error;
    }

    LanguageError error() {
        return error;
    }
}
