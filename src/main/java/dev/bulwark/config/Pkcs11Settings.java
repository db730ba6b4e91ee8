package dev.bulwark.config;

import java.nio.file.Path;

/**
 * Where the PKCS#11 HSM is: its module (shared library), the slot holding the token, and the user
 * PIN. The PIN is only ever named ({@code env:NAME} or {@code file:/path}) in settings; here it is
 * resolved, and {@link SecretValue} keeps it out of {@link #toString()}.
 *
 * <p>The token is chosen by slot id because that is what the JDK's SunPKCS11 provider can select;
 * it has no public way to read token labels.
 *
 * @param library the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
 * @param slot    the slot id as {@code softhsm2-util --show-slots} or {@code pkcs11-tool -L} print it
 * @param pin     the token's user PIN
 */
public record Pkcs11Settings(Path library, long slot, SecretValue pin) {
    public Pkcs11Settings {
        if (library == null || pin == null) {
            throw new ConfigException("the PKCS#11 settings need a library and a PIN");
        }
        if (slot < 0) {
            throw new ConfigException("pkcs11.slot (BULWARK_PKCS11_SLOT) must be a slot id >= 0, got " + slot);
        }
    }
}
