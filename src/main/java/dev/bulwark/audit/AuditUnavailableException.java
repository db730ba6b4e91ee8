package dev.bulwark.audit;

/**
 * The audit log could not make a record durable in time. A management call that sees this must not
 * report success: an action that cannot be audited is answered with a 503.
 */
public final class AuditUnavailableException extends RuntimeException {

    public AuditUnavailableException(String message) {
        super(message);
    }
}
