package dev.bulwark.identity.rbac;

/** Whether a role ships with Bulwark (immutable) or was defined by an operator. ARM's names. */
public enum RoleType {
    BUILT_IN("BuiltInRole"),
    CUSTOM("CustomRole");

    private final String armName;

    RoleType(String armName) {
        this.armName = armName;
    }

    public String armName() {
        return armName;
    }
}
