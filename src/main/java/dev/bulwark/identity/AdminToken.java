package dev.bulwark.identity;

import dev.bulwark.config.SecretValue;
import dev.bulwark.crypto.SecureFiles;
import dev.bulwark.store.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * The bootstrap management credential. From {@code BULWARK_ADMIN_TOKEN} when set; otherwise
 * generated on first run, printed once, and kept only as a SHA-256 digest in the database plus a
 * 0600 file ({@code <home>/admin-token}) for the operator. A plain hash suffices: the token has 256
 * random bits, so there is nothing to brute-force.
 */
public final class AdminToken {
    public static final String FILE_NAME = "admin-token";
    private static final String ROW = "admin-token";
    private static final String PREFIX = "bwadm_";

    private final byte[] digest;
    private final String source;

    private AdminToken(byte[] digest, String source) {
        this.digest = digest;
        this.source = source;
    }

    /** What {@link #bootstrap} did, so the caller can tell the operator once. */
    public record Bootstrap(AdminToken token, Optional<String> generatedToken, Optional<Path> tokenFile) {
        @Override
        public String toString() {
            return "Bootstrap[" + token.source + "]";
        }
    }

    public static Bootstrap bootstrap(Optional<SecretValue> configured, Database db, Path home) {
        if (configured.isPresent()) {
            SecretValue v = configured.get();
            if (v.reveal().length() < 16) {
                throw new dev.bulwark.config.ConfigException("the admin token from " + v.source() + " is too short: use at least 16 characters (32 random bytes recommended)");
            }
            return new Bootstrap(new AdminToken(sha256(v.reveal()), v.source()), Optional.empty(), Optional.empty());
        }
        Optional<byte[]> stored = db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT digest FROM settings_secrets WHERE name = ?")) {
                p.setString(1, ROW);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
        Path file = home.resolve(FILE_NAME);
        if (stored.isPresent()) {
            return new Bootstrap(new AdminToken(stored.get(), "generated"), Optional.empty(), Optional.of(file));
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = PREFIX + new BigInteger(1, random).toString(36);
        byte[] d = sha256(token);
        try {
            SecureFiles.writePrivate(file, token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO settings_secrets(name, digest, updated_at) VALUES (?,?,?)")) {
                p.setString(1, ROW);
                p.setBytes(2, d);
                p.setString(3, Instant.now().toString());
                return p.executeUpdate();
            }
        });
        return new Bootstrap(new AdminToken(d, "generated"), Optional.of(token), Optional.of(file));
    }

    /** Constant-time check of a presented token. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[" + source + ", ****]";
    }
}
