package dev.bulwark.account;

/** A request the management API refuses with 400; {@code code} is the ARM-style error code. */
public final class AccountValidationException extends RuntimeException {
    private final String code;

    public AccountValidationException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
