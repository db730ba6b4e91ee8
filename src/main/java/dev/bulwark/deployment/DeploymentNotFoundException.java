package dev.bulwark.deployment;

/** The account has no deployment of that name (404 ResourceNotFound). */
public final class DeploymentNotFoundException extends RuntimeException {
    public DeploymentNotFoundException(String account, String name) {
        super("The deployment '" + name + "' was not found in account '" + account + "'.");
    }
}
