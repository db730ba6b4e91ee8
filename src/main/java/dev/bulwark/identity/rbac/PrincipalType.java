package dev.bulwark.identity.rbac;

import java.util.Locale;

/**
 * What a role assignment's {@code principalId} names. Decides which callers the assignment can
 * match: a signed-in user by object id (User or ServicePrincipal) or by group (Group); a workload
 * identity only by its id (ServicePrincipal).
 */
public enum PrincipalType {
    User,
    Group,
    ServicePrincipal;

    /** Case-insensitive, ARM's spelling; anything else is a 400. */
    public static PrincipalType parse(String s) {
        if (s != null) {
            for (PrincipalType t : values()) {
                if (t.name().toLowerCase(Locale.ROOT).equals(s.toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
        }
        throw RbacException.invalid("InvalidPrincipalType", "principalType must be User, Group or ServicePrincipal");
    }
}
