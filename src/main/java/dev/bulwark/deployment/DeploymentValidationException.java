package dev.bulwark.deployment;

/**
 * A deployment the management API refuses with 400; {@code code} is the ARM-style error code.
 * Messages never quote a credential or an upstream URL (either may carry a secret someone pasted).
 */
public final class DeploymentValidationException extends RuntimeException {
    private final String code;

    public DeploymentValidationException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
