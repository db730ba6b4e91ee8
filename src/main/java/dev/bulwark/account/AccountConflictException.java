package dev.bulwark.account;

/** A change that contradicts the account's immutable facts (409). */
public final class AccountConflictException extends RuntimeException {
    public AccountConflictException(String message) {
        super(message);
    }
}
