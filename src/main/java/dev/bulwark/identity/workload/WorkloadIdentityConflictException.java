package dev.bulwark.identity.workload;

/** A change that contradicts an existing identity (409), e.g. creating a name that is taken. */
public final class WorkloadIdentityConflictException extends RuntimeException {
    public WorkloadIdentityConflictException(String message) {
        super(message);
    }
}
