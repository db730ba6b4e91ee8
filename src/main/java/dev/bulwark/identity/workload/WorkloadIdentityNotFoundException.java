package dev.bulwark.identity.workload;

/** The named workload identity does not exist (404 ResourceNotFound). */
public final class WorkloadIdentityNotFoundException extends RuntimeException {
    public WorkloadIdentityNotFoundException(String name) {
        super("The identity '" + name + "' was not found.");
    }
}
