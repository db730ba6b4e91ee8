package dev.bulwark.config;

import java.util.Optional;

/**
 * Reads a secret from Bulwark's built-in vault for a {@code vault:} reference. Blocking (database);
 * a missing, disabled, expired or deleted secret is a {@link ConfigException} whose message is safe
 * to log (it names the secret, never its value).
 */
@FunctionalInterface
public interface VaultSecretReader {
    SecretValue read(String name, Optional<String> version);
}
