package dev.bulwark.server.management;

import dev.bulwark.identity.Principal;
import dev.bulwark.identity.rbac.RbacException;
import dev.bulwark.snapshot.AccessRules;

import java.util.List;
import java.util.Map;

/** What the role definitions and role assignments APIs share: the 403 and the ARM error for an {@link RbacException}. */
final class RbacResponses {
    private RbacResponses() {
    }

    static ApiResponse error(RbacException e, String resourceId) {
        return ApiResponse.error(e.status(), e.code(), e.getMessage(), resourceId);
    }

    /** ARM's 403, naming the action and scope (the caller's own identity is no secret to the caller). */
    static ApiResponse forbidden(Principal p, String action, String scope, String resourceId) {
        return ApiResponse.error(403, "AuthorizationFailed", "The client '" + p.describe() + "' does not have authorization to perform "
                        + "action '" + action + "' over scope '" + scope + "' or the scope is invalid.", resourceId)
                .withAudit(Map.of("errorCode", "AuthorizationFailed", "action", action, "scope", scope));
    }

    /** The first of {@code scopes} at which {@code p} may not perform {@code action}, or null if it may at all of them. */
    static String firstRefused(AccessRules authorizer, Principal p, String action, List<String> scopes) {
        for (String s : scopes) {
            if (!authorizer.permitsAction(p, s, action)) {
                return s;
            }
        }
        return null;
    }

    /** The action of a request on a role resource: writes, deletes, else reads. */
    static String operationName(String method, String write, String delete, String read) {
        return switch (method) {
            case "PUT", "POST" -> write;
            case "DELETE" -> delete;
            default -> read;
        };
    }

    /**
     * Runs one role API request against the access rules read once for it, turning the API's own
     * refusals into ARM errors.
     */
    static ApiResponse handle(ApiRequest r, java.util.function.Supplier<? extends AccessRules> policy,
                              java.util.function.BiFunction<ApiRequest, AccessRules, ApiResponse> route,
                              java.util.function.Function<ApiRequest, String> resourceOf) {
        try {
            return route.apply(r, java.util.Objects.requireNonNull(policy.get(), "no access policy"));
        } catch (RbacException e) {
            return error(e, resourceOf.apply(r));
        } catch (dev.bulwark.account.AccountValidationException e) {
            return ApiResponse.error(400, e.code(), e.getMessage(), resourceOf.apply(r));
        }
    }

    static ApiResponse methodNotAllowed(String allowed, String resourceId) {
        return ApiResponse.error(405, "MethodNotAllowed", "allowed methods: " + allowed, resourceId);
    }
}
