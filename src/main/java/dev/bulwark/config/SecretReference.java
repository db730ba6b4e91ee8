package dev.bulwark.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a secret lives: {@code env:NAME} or {@code file:/path}. The config file may name a secret
 * this way but never hold one. ({@code vault:} arrives with the key vault.)
 */
public sealed interface SecretReference {

    SecretValue resolve(Map<String, String> environment);

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

    static SecretReference parse(String text, String settingName) {
        if (text.startsWith("env:") && text.length() > 4) {
            return new FromEnvironment(text.substring(4));
        }
        if (text.startsWith("file:") && text.length() > 5) {
            return new FromFile(Path.of(text.substring(5)));
        }
        throw new ConfigException(settingName + " must be a secret reference (env:NAME or file:/path), "
                + "never the secret itself");
    }
}
