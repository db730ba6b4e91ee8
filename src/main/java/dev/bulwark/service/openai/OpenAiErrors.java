package dev.bulwark.service.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.nio.charset.StandardCharsets;

/**
 * Error bodies of the OpenAI routes, in Azure's shape ({@code {"error":{"code","message"}}}, which
 * OpenAI clients also read). Messages never carry upstream addresses, credentials or stack traces.
 */
public final class OpenAiErrors {
    /** Azure's wording for an unknown deployment. */
    public static final String DEPLOYMENT_NOT_FOUND_MESSAGE = "The API deployment for this resource does not exist. "
            + "If you created the deployment within the last 5 minutes, please wait a moment and try again.";

    private OpenAiErrors() {
    }

    public static byte[] body(String code, String message) {
        return ("{\"error\":{\"code\":\"" + escape(code) + "\",\"message\":\"" + escape(message) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String escape(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }
}
