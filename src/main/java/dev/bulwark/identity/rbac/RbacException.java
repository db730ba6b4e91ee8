package dev.bulwark.identity.rbac;

/**
 * A role-based access control request the management API refuses, with its HTTP status and an
 * ARM-style error code ({@code RoleAssignmentExists}, {@code RoleDefinitionHasAssignments}, ...).
 */
public final class RbacException extends RuntimeException {
    private final int status;
    private final String code;

    private RbacException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** 400: the request itself is wrong. */
    public static RbacException invalid(String code, String message) {
        return new RbacException(400, code, message);
    }

    /** 404: the role definition or assignment named in the path does not exist. */
    public static RbacException notFound(String code, String message) {
        return new RbacException(404, code, message);
    }

    /** 409: the request contradicts what is stored (a duplicate, a role in use, a built-in role). */
    public static RbacException conflict(String code, String message) {
        return new RbacException(409, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
