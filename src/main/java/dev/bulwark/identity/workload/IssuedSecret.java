package dev.bulwark.identity.workload;

/**
 * A client secret in clear, as issued at creation or rotation: the only moment Bulwark holds it.
 * {@link #toString()} masks it; {@link #reveal()} is the one door to the value, for the response
 * that shows it once.
 */
public final class IssuedSecret {
    private final String value;

    IssuedSecret(String value) {
        this.value = value;
    }

    /** The secret itself. Call sites must not log it or store it. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "IssuedSecret[" + ClientSecretFormat.PREFIX + "****]";
    }
}
