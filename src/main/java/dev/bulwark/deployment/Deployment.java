package dev.bulwark.deployment;

import dev.bulwark.account.Account;

import java.time.Instant;

/** A deployment as stored: an account's named route to an upstream model. Immutable. */
public record Deployment(String account, String name, DeploymentSpec spec, Instant createdAt, Instant updatedAt) {

    public String resourceId() {
        return resourceId(account, name);
    }

    /** ARM's id for a deployment, which is also its RBAC scope. */
    public static String resourceId(String account, String name) {
        return Account.resourceId(account) + "/deployments/" + name;
    }
}
