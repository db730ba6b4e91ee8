package dev.bulwark.account;

/** The named account does not exist (404 ResourceNotFound). */
public final class AccountNotFoundException extends RuntimeException {
    public AccountNotFoundException(String name) {
        super("The account '" + name + "' was not found.");
    }
}
