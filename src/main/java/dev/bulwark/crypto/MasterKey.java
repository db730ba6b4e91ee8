package dev.bulwark.crypto;

import dev.bulwark.config.ConfigException;
import dev.bulwark.config.SecretValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The service-managed root key (256 bits). From {@code BULWARK_MASTER_KEY} (base64) or a secret
 * reference; otherwise generated on first run into {@code <home>/secrets/master.key} (mode 0600).
 * Only purpose keys derived from it ever leave this class.
 */
public final class MasterKey {
    private final byte[] key;
    private final String source;

    private MasterKey(byte[] key, String source) {
        this.key = key;
        this.source = source;
    }

    public static MasterKey from(SecretValue value) {
        byte[] k;
        try {
            k = Base64.getDecoder().decode(value.reveal().strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("master key from " + value.source() + " is not base64");
        }
        if (k.length != 32) {
            throw new ConfigException("master key from " + value.source() + " must be 32 bytes (base64 of 256 random bits), got " + k.length);
        }
        return new MasterKey(k, value.source());
    }

    /** Reads {@code <home>/secrets/master.key}, creating it (0600, directory 0700) when absent. */
    public static MasterKey loadOrGenerate(Path home) {
        Path dir = home.resolve("secrets");
        Path file = dir.resolve("master.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                SecureFiles.restrictDirectory(dir);
                byte[] k = new byte[32];
                new SecureRandom().nextBytes(k);
                SecureFiles.writePrivate(file, Base64.getEncoder().encodeToString(k) + "\n");
                Arrays.fill(k, (byte) 0);
            }
            return from(new SecretValue(Files.readString(file, StandardCharsets.UTF_8), "file:" + file));
        } catch (IOException e) {
            throw new ConfigException("cannot read or create the master key file " + file + ": " + e.getMessage());
        }
    }

    /** A key for one purpose, independent of every other purpose's key. */
    public byte[] derive(String purpose) {
        return Hkdf.derive(key, purpose, 32);
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "MasterKey[" + source + ", ****]";
    }
}
