package dev.bulwark.config;

/**
 * A secret read from the environment, a file or the vault. {@link #toString()} never shows it;
 * the one door to the value is {@link #reveal()}, so every use is easy to find.
 */
public final class SecretValue {
    private final String value;
    private final String source;

    public SecretValue(String value, String source) {
        if (value == null || value.isEmpty()) {
            throw new ConfigException("secret from " + source + " is empty");
        }
        this.value = value;
        this.source = source;
    }

    /** The secret itself. Call sites must not log or echo it. */
    public String reveal() {
        return value;
    }

    /** Where the secret came from (e.g. {@code env:BULWARK_ADMIN_TOKEN}), safe to print. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "SecretValue[" + source + ", ****]";
    }
}
