package dev.bulwark.pipeline;

import java.nio.charset.StandardCharsets;

/**
 * Authorisation: the principal must hold the route's data action at the account's scope, by the
 * snapshot's access rules (RBAC). Deny by default; the refusal is Azure's 403 PermissionDenied.
 */
public final class AuthorizationStage implements Stage {
    @Override
    public String name() {
        return "authorization";
    }

    @Override
    public StageResult apply(RequestContext c) {
        String action = c.route().dataAction();
        if (c.snapshot().access().permitsDataAction(c.principal(), c.account().resourceId(), action)) {
            return StageResult.next(c);
        }
        String message = "The principal `" + c.principal().describe() + "` lacks the required data action `" + action
                + "` to perform `" + c.route().method() + " " + c.route().path() + "` operation.";
        byte[] body = ("{\"error\":{\"code\":\"PermissionDenied\",\"message\":" + jsonString(message) + "}}").getBytes(StandardCharsets.UTF_8);
        return StageResult.reject(new Rejection(403, body, "missing data action " + action, true), c);
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\') {
                sb.append('\\').append(ch);
            } else if (ch < 0x20) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }
}
