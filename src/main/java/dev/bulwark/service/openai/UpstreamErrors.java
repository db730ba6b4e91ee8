package dev.bulwark.service.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Turns what went wrong upstream into an Azure-shaped answer: the client learns whether its request
 * was at fault (4xx, with the model server's own explanation, trimmed) or the model server was
 * (502, or 504 for a timeout), never the upstream's address, credential or internals.
 */
final class UpstreamErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAFE_CODE = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    static final int MAX_MESSAGE = 1000;

    private UpstreamErrors() {
    }

    /** The upstream answered with a status outside 2xx. */
    static UpstreamAnswer fromStatus(int status, byte[] body, String retryAfter, String requestId) {
        if (status == 400 || status == 413 || status == 422) {
            Explained e = explain(body);
            String message = e.message != null ? e.message : "The model server refused the request as invalid.";
            String code = e.code != null ? e.code : status == 413 ? "RequestTooLarge" : "BadRequest";
            return new UpstreamAnswer(status == 422 ? 400 : status, OpenAiErrors.body(code, message), 0);
        }
        if (status == 429) {
            return new UpstreamAnswer(429, OpenAiErrors.body("429", "The model server is at capacity. Retry after the time in Retry-After."),
                    retryAfterSeconds(retryAfter));
        }
        if (status == 408 || status == 504) {
            return new UpstreamAnswer(504, OpenAiErrors.body("GatewayTimeout",
                    "The model server timed out. Request id: " + requestId), 0);
        }
        String why = status == 401 || status == 403 ? "refused this deployment's credential"
                : status == 404 ? "does not serve this deployment's model or path"
                : "failed";
        return new UpstreamAnswer(502, OpenAiErrors.body("BadGateway",
                "The model server " + why + " (status " + status + "). Request id: " + requestId), 0);
    }

    /** The exchange with the upstream failed before it answered. */
    static UpstreamAnswer fromFailure(Throwable cause, int timeoutMs, String requestId) {
        if (cause instanceof TimeoutException || cause instanceof io.netty.channel.ConnectTimeoutException) {
            return new UpstreamAnswer(504, OpenAiErrors.body("GatewayTimeout",
                    "The model server did not answer within " + Math.max(1, timeoutMs / 1000) + " seconds. Request id: " + requestId), 0);
        }
        String what = cause instanceof ConnectException ? "could not be reached"
                : cause instanceof ClosedChannelException || cause instanceof IOException ? "closed the connection"
                : "could not be used";
        return new UpstreamAnswer(502, OpenAiErrors.body("BadGateway", "The model server " + what + ". Request id: " + requestId), 0);
    }

    private record Explained(String code, String message) {
    }

    /** OpenAI's {"error":{...}}, TGI's and Ollama's {"error":"..."}, FastAPI's {"detail":"..."}. */
    private static Explained explain(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException | RuntimeException e) {
            return new Explained(null, null);
        }
        if (root == null || !root.isObject()) {
            return new Explained(null, null);
        }
        JsonNode error = root.get("error");
        String message = null;
        String code = null;
        if (error != null && error.isObject()) {
            message = text(error.get("message"));
            String c = text(error.get("code"));
            code = c != null && SAFE_CODE.matcher(c).matches() ? c : null;
        } else if (error != null) {
            message = text(error);
        }
        if (message == null) {
            message = text(root.get("detail"));
        }
        return new Explained(code, message == null ? null : clean(message));
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() && !n.textValue().isBlank() ? n.textValue() : null;
    }

    private static String clean(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_MESSAGE));
        for (int i = 0; i < s.length() && b.length() < MAX_MESSAGE; i++) {
            char ch = s.charAt(i);
            b.append(Character.isISOControl(ch) ? ' ' : ch);
        }
        return s.length() > MAX_MESSAGE ? b + "..." : b.toString();
    }

    static long retryAfterSeconds(String header) {
        if (header != null) {
            try {
                long v = Long.parseLong(header.strip());
                if (v >= 1 && v <= 3600) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // An HTTP date, or junk: fall back to a short wait.
            }
        }
        return 1;
    }
}
