package dev.bulwark.snapshot;

import dev.bulwark.config.SecretValue;

import java.net.URI;

/**
 * What the data plane needs to know about one model deployment, frozen in the snapshot: where the
 * upstream is, which model it serves, the credential Bulwark presents to it (already resolved off
 * the hot path) and the quota.
 *
 * @param account            the account's name
 * @param name               the deployment's name (what clients put in the path or in {@code model})
 * @param upstream           the upstream's OpenAI-compatible base URL, e.g. {@code http://10.0.0.5:8000/v1}
 *                           (paths such as {@code /chat/completions} are appended to it)
 * @param model              the model name the upstream knows (replaces the client's {@code model})
 * @param credential         sent to the upstream as {@code Authorization: Bearer}; null when the
 *                           deployment has none, or when it could not be resolved
 * @param credentialProblem  why a configured credential could not be resolved (safe to show); null when fine
 * @param connectTimeoutMs   connecting to the upstream
 * @param timeoutMs          waiting for the upstream's response headers, and the longest silence
 *                           between two chunks of a stream
 * @param requestsPerMinute  quota; 0 means no limit
 * @param tokensPerMinute    quota; 0 means no limit
 * @param inlineRemoteImages chat image URLs are fetched by Bulwark and sent upstream as {@code data:} URLs
 */
public record DeploymentView(String account, String name, URI upstream, String model, SecretValue credential,
                             String credentialProblem, int connectTimeoutMs, int timeoutMs,
                             int requestsPerMinute, int tokensPerMinute, boolean inlineRemoteImages) {

    public DeploymentView {
        if (upstream == null || upstream.getScheme() == null || upstream.getHost() == null) {
            throw new IllegalArgumentException("deployment " + name + ": upstream must be an absolute http(s) URL");
        }
    }

    /** The key quota counters and usage are kept under. */
    public String key() {
        return account + "/" + name;
    }
}
