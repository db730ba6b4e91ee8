package dev.bulwark.deployment;

import java.util.regex.Pattern;

/**
 * Deployment names follow Azure's rule: 2-64 characters of letters, digits, {@code -}, {@code _} and
 * {@code .}, starting with a letter or digit. They are case-sensitive (clients put them in paths and
 * in {@code model}), and every valid name is also a valid RBAC scope segment.
 */
public final class DeploymentName {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{1,63}");

    private DeploymentName() {
    }

    public static String validate(String name) {
        if (!isValid(name)) {
            throw new DeploymentValidationException("InvalidDeploymentName",
                    "deployment name must be 2-64 characters of letters, digits, '-', '_' and '.', starting with a letter or digit");
        }
        return name;
    }

    /** The same check without an exception. */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
