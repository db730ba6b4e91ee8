package dev.bulwark.account;

/**
 * The account's data cannot be read or written because its customer-managed key is not usable now
 * (disabled, deleted, expired, or Bulwark's grant on it removed). Nothing is lost: restoring access
 * to the key restores the account. Answered with 403 {@code CustomerManagedKeyAccessDenied}.
 */
public final class CustomerKeyDeniedException extends RuntimeException {
    public static final String CODE = "CustomerManagedKeyAccessDenied";
    private final String account;

    public CustomerKeyDeniedException(String account, Throwable cause) {
        super("The customer-managed key of account '" + account + "' is not accessible: its data cannot be read or written "
                + "until access to the key is restored.", cause);
        this.account = account;
    }

    public String account() {
        return account;
    }
}
