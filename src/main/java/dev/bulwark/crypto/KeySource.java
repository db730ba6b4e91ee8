package dev.bulwark.crypto;

/** Where a key-encryption key lives. The wire id is what envelope headers and settings store. */
public enum KeySource {
    /** The service-managed root key ({@code BULWARK_MASTER_KEY}, its file, or a PKCS#11 token). */
    SERVICE("service"),
    /** A key in Bulwark's built-in vault (a customer-managed key). */
    VAULT("vault"),
    /** A key held in a PKCS#11 HSM that never leaves it (a customer-managed key). */
    PKCS11("pkcs11");

    private final String wireId;

    KeySource(String wireId) {
        this.wireId = wireId;
    }

    public String wireId() {
        return wireId;
    }

    public static KeySource fromWireId(String id) {
        for (KeySource s : values()) {
            if (s.wireId.equals(id)) {
                return s;
            }
        }
        throw new CryptoException("cannot decrypt");
    }
}
