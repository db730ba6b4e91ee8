package dev.bulwark.identity.workload;

import java.util.regex.Pattern;

/**
 * Workload identity names are DNS labels (2-63 characters, lower-case letters, digits and hyphens,
 * no hyphen at either end), like account names. A name may not have the shape of a UUID: names and
 * client ids are looked up in one namespace, so neither can ever be mistaken for the other.
 */
public final class WorkloadIdentityName {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])");
    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private WorkloadIdentityName() {
    }

    public static String validate(String name) {
        if (name == null || !LABEL.matcher(name).matches()) {
            throw new WorkloadIdentityValidationException("InvalidIdentityName",
                    "identity name must be 2-63 characters of lower-case letters, digits and hyphens, "
                            + "starting and ending with a letter or digit");
        }
        if (looksLikeClientId(name)) {
            throw new WorkloadIdentityValidationException("InvalidIdentityName",
                    "identity name must not have the shape of a client id (a UUID)");
        }
        return name;
    }

    /** The same check without an exception. */
    public static boolean isValid(String name) {
        return name != null && LABEL.matcher(name).matches() && !looksLikeClientId(name);
    }

    /** True when {@code s} has the 8-4-4-4-12 hex shape of a client id. */
    public static boolean looksLikeClientId(String s) {
        return s != null && UUID_SHAPE.matcher(s).matches();
    }
}
