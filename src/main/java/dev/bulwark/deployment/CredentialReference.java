package dev.bulwark.deployment;

import dev.bulwark.config.SecretReference;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a deployment's upstream credential lives: {@code env:NAME}, {@code file:/absolute/path} or
 * {@code vault:name[/version]} (the built-in vault),
 * never the credential itself, so that the database, backups, the audit log and API answers only
 * ever hold the reference.
 *
 * <p>A reference is a way to make Bulwark read something and send it to a URL its author chose, so
 * Bulwark's own secrets are out of bounds: {@code env:BULWARK_*} (the admin token, the master key,
 * ...) is refused here; files under Bulwark's state directory are refused where the reference is
 * resolved ({@link DeploymentSnapshotLoader}), after following links.
 *
 * <p>Refusals never echo the value: the usual mistake is pasting the secret itself.
 */
public final class CredentialReference {
    static final int MAX_LENGTH = 1024;
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final String BULWARKS_OWN = "BULWARK_";

    private CredentialReference() {
    }

    /** The reference, checked; a refusal never quotes {@code text}. */
    public static SecretReference parse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            throw invalid("upstream.credential must be a secret reference (env:NAME, file:/absolute/path or vault:name) of at most "
                    + MAX_LENGTH + " characters");
        }
        if (text.startsWith("env:")) {
            String variable = text.substring(4);
            if (!VARIABLE.matcher(variable).matches()) {
                throw invalid("upstream.credential: env: must be followed by an environment variable name "
                        + "(letters, digits and '_', not starting with a digit)");
            }
            if (variable.toUpperCase(Locale.ROOT).startsWith(BULWARKS_OWN)) {
                throw invalid("upstream.credential must not name one of Bulwark's own variables (BULWARK_*)");
            }
            return new SecretReference.FromEnvironment(variable);
        }
        if (text.startsWith("file:")) {
            String file = text.substring(5);
            Path p;
            try {
                p = Path.of(file);
            } catch (java.nio.file.InvalidPathException e) {
                throw invalid("upstream.credential: file: must be followed by an absolute path");
            }
            if (!p.isAbsolute() || !p.normalize().toString().equals(file) || hasControl(file)) {
                throw invalid("upstream.credential: file: must be followed by an absolute, normalised path (no '.' or '..' segments)");
            }
            return new SecretReference.FromFile(p);
        }
        if (text.startsWith("vault:")) {
            try {
                return SecretReference.FromVault.of(text.substring(6));
            } catch (dev.bulwark.config.ConfigException e) {
                throw invalid("upstream.credential: " + e.getMessage());
            }
        }
        throw invalid("upstream.credential must be a secret reference (env:NAME, file:/absolute/path or vault:name[/version]), "
                + "never the secret itself; the value given is not repeated here");
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static DeploymentValidationException invalid(String message) {
        return new DeploymentValidationException("InvalidCredentialReference", message);
    }
}
