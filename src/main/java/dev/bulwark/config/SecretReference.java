package dev.bulwark.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a secret lives: {@code env:NAME}, {@code file:/path} or {@code vault:name[/version]} (the
 * built-in vault). The config file may name a secret this way but never hold one.
 */
public sealed interface SecretReference {

    /** Resolves an {@code env:} or {@code file:} reference; a {@code vault:} one needs the vault (below). */
    SecretValue resolve(Map<String, String> environment);

    /** Resolves any reference; {@code vault} may be null where the vault is not open yet. */
    default SecretValue resolve(Map<String, String> environment, VaultSecretReader vault) {
        return resolve(environment);
    }

    record FromEnvironment(String variable) implements SecretReference {
        @Override
        public SecretValue resolve(Map<String, String> environment) {
            String v = environment.get(variable);
            if (v == null || v.isEmpty()) {
                throw new ConfigException("environment variable " + variable + " is not set or empty");
            }
            return new SecretValue(v, "env:" + variable);
        }
    }

    record FromFile(Path file) implements SecretReference {
        @Override
        public SecretValue resolve(Map<String, String> environment) {
            try {
                // A trailing newline from `echo > file` is not part of the secret.
                String v = Files.readString(file, StandardCharsets.UTF_8).strip();
                return new SecretValue(v, "file:" + file);
            } catch (IOException e) {
                throw new ConfigException("cannot read secret file " + file + ": " + e.getClass().getSimpleName());
            }
        }
    }

    /** A secret in the built-in vault: its newest enabled version, or the version named. */
    record FromVault(String name, java.util.Optional<String> version) implements SecretReference {
        private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[0-9A-Za-z-]{1,127}");
        private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("[0-9A-Za-z]{1,64}");

        public FromVault {
            if (name == null || !NAME.matcher(name).matches() || version == null
                    || version.isPresent() && !VERSION.matcher(version.get()).matches()) {
                throw new ConfigException("a vault reference is vault:<name>[/<version>], the name 1-127 letters, digits or '-'");
            }
        }

        /** Parses what follows {@code vault:}. */
        public static FromVault of(String text) {
            int slash = text.indexOf('/');
            return slash < 0 ? new FromVault(text, java.util.Optional.empty())
                    : new FromVault(text.substring(0, slash), java.util.Optional.of(text.substring(slash + 1)));
        }

        @Override
        public SecretValue resolve(Map<String, String> environment) {
            throw new ConfigException("vault:" + name + " cannot be used here: this secret is read before the vault opens "
                    + "(use env: or file:)");
        }

        @Override
        public SecretValue resolve(Map<String, String> environment, VaultSecretReader vault) {
            if (vault == null) {
                return resolve(environment);
            }
            return vault.read(name, version);
        }
    }

    static SecretReference parse(String text, String settingName) {
        if (text.startsWith("env:") && text.length() > 4) {
            return new FromEnvironment(text.substring(4));
        }
        if (text.startsWith("file:") && text.length() > 5) {
            return new FromFile(Path.of(text.substring(5)));
        }
        if (text.startsWith("vault:") && text.length() > 6) {
            return FromVault.of(text.substring(6));
        }
        throw new ConfigException(settingName + " must be a secret reference (env:NAME, file:/path or vault:name), "
                + "never the secret itself; the value is not repeated here");
    }
}
