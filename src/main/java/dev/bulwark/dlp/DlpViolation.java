package dev.bulwark.dlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * A refused URL: the host it named (or, when it did not parse, a cleaned excerpt of the value) and
 * the concrete request parameter it came from, such as {@code messages[0].content[1].image_url.url}.
 *
 * @param host      what to show as the host name
 * @param parameter the parameter the URL was found in
 */
public record DlpViolation(String host, String parameter) {
    /** How much of an unparseable value is echoed back: enough to recognise, not enough to reflect a payload. */
    static final int MAX_SHOWN = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    public DlpViolation {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(parameter, "parameter");
    }

    /**
     * The host to show for a value that did not parse: its first {@value #MAX_SHOWN} characters with
     * control and format characters (including bidi overrides) removed, so the message cannot break a
     * log line or hide what it says. Userinfo ({@code user:password@}) is never shown: it is
     * cut before anything else, see {@link #withoutUserinfo}.
     */
    static String shown(String value) {
        String raw = withoutUserinfo(value);
        StringBuilder sb = new StringBuilder(Math.min(raw.length(), MAX_SHOWN));
        for (int i = 0; i < raw.length() && i < MAX_SHOWN; i++) {
            char c = raw.charAt(i);
            if (!Character.isISOControl(c) && Character.getType(c) != Character.FORMAT) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * {@code value} without what could be userinfo: everything from just after the scheme's
     * {@code //} (or, with no {@code //}, its first {@code :}) to the last {@code @} is replaced by
     * {@code ***}, so {@code https://user:token@host/} shows as {@code https://***@host/}. Cutting to the last
     * {@code @} of the whole value, not of a parsed authority, also covers values whose authority
     * cannot be told apart (backslashes, a {@code /} inside the password).
     */
    static String withoutUserinfo(String value) {
        int at = value.lastIndexOf('@');
        if (at < 0) {
            return value;
        }
        int slashes = value.indexOf("//");
        int start = slashes >= 0 && slashes < at ? slashes + 2 : value.indexOf(':') + 1;
        if (start > at) {
            start = 0;
        }
        return value.substring(0, start) + "***" + value.substring(at);
    }

    /** The message WIRE.md gives for a DLP refusal. */
    public String message() {
        return "Outbound network access is restricted. The hostname '" + host + "' for parameter '" + parameter
                + "' is not in the allowed FQDN list for this resource.";
    }

    /**
     * The 400 body: {@code {"error":{"requestid":"<id>","code":400,"message":"..."}}}, JSON-escaped
     * (the host and parameter come from the request).
     */
    public String body(String requestId) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("requestid", requestId);
        error.put("code", 400);
        error.put("message", message());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the DLP error body", e);
        }
    }
}
