package dev.bulwark.identity.workload;

/** A request about workload identities that is refused with 400; {@code code} is the ARM-style error code. */
public final class WorkloadIdentityValidationException extends RuntimeException {
    private final String code;

    public WorkloadIdentityValidationException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
