package dev.bulwark.pipeline;

/**
 * The OpenAI-compatible paths below an account's endpoint: Azure OpenAI's {@code /openai/...}
 * (deployments and v1 forms) and plain OpenAI's {@code /v1/...}. On these, OpenAI clients send the
 * account key as {@code Authorization: Bearer <key>}, and a request without {@code /accounts/<name>}
 * finds its account from that key.
 */
public final class OpenAiPaths {
    private OpenAiPaths() {
    }

    public static boolean accepts(String servicePath) {
        return servicePath != null && (servicePath.startsWith("/openai/") || servicePath.startsWith("/v1/"));
    }
}
