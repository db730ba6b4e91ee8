package dev.bulwark.deployment;

import java.net.URI;

/**
 * The desired state of a deployment, from a PUT body or the CLI. The constructor is the one place
 * the rules live, so nothing invalid reaches the store whichever door it came through.
 *
 * @param skuName            ARM's sku name ({@code Standard}, ...); informational
 * @param skuCapacity        ARM's sku capacity, or null; when given without explicit rate limits it set them
 * @param modelFormat        ARM's model format ({@code OpenAI}); informational
 * @param model              the model name the upstream knows
 * @param modelVersion       ARM's model version, or null; informational
 * @param upstream           see {@link UpstreamUrl}
 * @param credential         a secret reference ({@link CredentialReference}), or null for an upstream without one
 * @param connectTimeoutMs   1-600 s, in milliseconds
 * @param timeoutMs          1-600 s, in milliseconds
 * @param requestsPerMinute  0 means no limit
 * @param tokensPerMinute    0 means no limit
 * @param inlineRemoteImages Bulwark fetches chat image URLs itself (SSRF-safe) and sends the model
 *                           server {@code data:} URLs, so the model server needs no outbound access
 */
public record DeploymentSpec(String skuName, Integer skuCapacity, String modelFormat, String model, String modelVersion,
                             URI upstream, String credential, int connectTimeoutMs, int timeoutMs,
                             int requestsPerMinute, int tokensPerMinute, boolean inlineRemoteImages) {

    public static final String DEFAULT_SKU = "Standard";
    public static final String DEFAULT_MODEL_FORMAT = "OpenAI";
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_TIMEOUT_MS = 60_000;
    public static final int MAX_TIMEOUT_SECONDS = 600;
    public static final int MAX_CAPACITY = 1_000_000;
    static final int MAX_MODEL_LENGTH = 256;

    public DeploymentSpec {
        if (skuName == null || !skuName.matches("[A-Za-z0-9]{1,64}")) {
            throw new DeploymentValidationException("InvalidSku", "sku.name must be 1-64 letters or digits");
        }
        if (skuCapacity != null && (skuCapacity < 1 || skuCapacity > MAX_CAPACITY)) {
            throw new DeploymentValidationException("InvalidSku", "sku.capacity must be between 1 and " + MAX_CAPACITY);
        }
        if (modelFormat == null || !printable(modelFormat, 64)) {
            throw new DeploymentValidationException("InvalidModel", "properties.model.format must be 1-64 printable characters");
        }
        if (model == null || !printable(model, MAX_MODEL_LENGTH)) {
            throw new DeploymentValidationException("InvalidModel",
                    "properties.model.name (the upstream's model) must be 1-" + MAX_MODEL_LENGTH + " printable characters");
        }
        if (modelVersion != null && !printable(modelVersion, 64)) {
            throw new DeploymentValidationException("InvalidModel", "properties.model.version must be 1-64 printable characters");
        }
        if (upstream == null) {
            throw new DeploymentValidationException("InvalidUpstreamUrl", "upstream.baseUrl is required");
        }
        upstream = UpstreamUrl.parse(upstream.toString());
        if (credential != null) {
            CredentialReference.parse(credential);
        }
        checkTimeout(connectTimeoutMs, "upstream.connectTimeoutSeconds");
        checkTimeout(timeoutMs, "upstream.timeoutSeconds");
        if (requestsPerMinute < 0 || tokensPerMinute < 0) {
            throw new DeploymentValidationException("InvalidRateLimit", "rate limits must be 0 (no limit) or more");
        }
    }

    /** The rate limits Azure derives from a capacity: 1,000 tokens and 6 requests per minute per unit. */
    public static int tokensPerMinuteFor(int capacity) {
        return capacity * 1000;
    }

    public static int requestsPerMinuteFor(int capacity) {
        return capacity * 6;
    }

    private static void checkTimeout(int ms, String field) {
        if (ms < 1000 || ms > MAX_TIMEOUT_SECONDS * 1000) {
            throw new DeploymentValidationException("InvalidTimeout", field + " must be between 1 and " + MAX_TIMEOUT_SECONDS + " seconds");
        }
    }

    private static boolean printable(String s, int max) {
        if (s.isEmpty() || s.length() > max || s.isBlank()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
