package dev.bulwark.identity.token;

/** A signing key's place in the keyset, as stored in {@code signing_keys.status}. */
enum SigningKeyStatus {
    /** Signs new tokens (exactly one), and verifies. */
    PRIMARY("primary"),
    /** Verifies tokens it signed while primary, until they have all expired. */
    VERIFY_ONLY("verify-only");

    private final String wireName;

    SigningKeyStatus(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static SigningKeyStatus parse(String s) {
        for (SigningKeyStatus v : values()) {
            if (v.wireName.equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown signing key status");
    }
}
