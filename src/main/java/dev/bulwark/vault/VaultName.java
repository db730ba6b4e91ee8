package dev.bulwark.vault;

/** Key Vault's rule for secret and key names: 1-127 ASCII letters, digits and hyphens. Names compare ignoring case. */
public final class VaultName {
    public static final int MAX_LENGTH = 127;

    private VaultName() {
    }

    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The name, or a 400 BadParameter. */
    static String require(String name) {
        if (!isValid(name)) {
            throw VaultException.badParameter("The request URI contains an invalid name: names are 1-" + MAX_LENGTH
                    + " characters of letters, digits and '-'.");
        }
        return name;
    }

    /** Versions are 32 lower-case hex characters, as Key Vault's. */
    static boolean isVersion(String v) {
        if (v == null || v.length() != 32) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            char c = v.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
