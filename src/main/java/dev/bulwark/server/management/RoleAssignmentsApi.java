package dev.bulwark.server.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.identity.rbac.Actions;
import dev.bulwark.identity.rbac.AssignmentFilter;
import dev.bulwark.identity.rbac.RbacException;
import dev.bulwark.identity.rbac.RbacJson;
import dev.bulwark.identity.rbac.RbacService;
import dev.bulwark.identity.rbac.RoleAssignment;
import dev.bulwark.identity.rbac.Scope;
import dev.bulwark.snapshot.AccessRules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ARM-shaped role assignments API: {@code GET /roleAssignments?scope=&principalId=&includeInherited=},
 * {@code GET/PUT/DELETE /roleAssignments/{id}} (the client picks the GUID, as in ARM).
 *
 * <p>Authorises inside, at the assignment's own scope: from the body for a PUT, from the stored
 * row for a GET or DELETE. An id that does not exist is answered (404, or 204 for DELETE) only to a
 * caller allowed the action at {@code /}; anyone else gets the same 403 as for an assignment they
 * may not see. A list with {@code scope} needs read there; a list without one shows only the
 * assignments whose scope the caller may read.
 */
final class RoleAssignmentsApi {
    static final String COLLECTION = "/roleAssignments";

    private final RbacService rbac;
    private final Supplier<? extends AccessRules> policy;

    /**
     * {@code policy} gives the current access rules (in production, the current snapshot's); it is
     * read once per request, so all of a request's checks see one policy.
     */
    RoleAssignmentsApi(RbacService rbac, Supplier<? extends AccessRules> policy) {
        this.rbac = Objects.requireNonNull(rbac);
        this.policy = Objects.requireNonNull(policy);
    }

    /** The action (ARM operation name) for authorisation and the audit record, known before the call runs. */
    static String operationName(String method, String[] segments) {
        return RbacResponses.operationName(method, Actions.ROLE_ASSIGNMENTS_WRITE, Actions.ROLE_ASSIGNMENTS_DELETE, Actions.ROLE_ASSIGNMENTS_READ);
    }

    ApiResponse handle(ApiRequest r) {
        return RbacResponses.handle(r, policy, this::route, RoleAssignmentsApi::resourceOf);
    }

    private ApiResponse route(ApiRequest r, AccessRules authorizer) {
        String[] s = r.segments();
        if (s.length == 1) {
            return r.method().equals("GET") ? list(r, authorizer) : RbacResponses.methodNotAllowed("GET", COLLECTION);
        }
        if (s.length != 2) {
            return ApiResponse.error(404, "NotFound", "no such operation", COLLECTION);
        }
        if (!RbacJson.isGuid(s[1])) {
            throw RbacException.invalid("InvalidRoleAssignmentId", "the role assignment id must be a GUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6");
        }
        String id = s[1].toLowerCase(Locale.ROOT);
        return switch (r.method()) {
            case "GET" -> get(r, authorizer, id);
            case "PUT" -> put(r, authorizer, id);
            case "DELETE" -> delete(r, authorizer, id);
            default -> RbacResponses.methodNotAllowed("GET, PUT, DELETE", RoleAssignment.armId(Scope.ROOT, id));
        };
    }

    private ApiResponse list(ApiRequest r, AccessRules authorizer) {
        String scope = emptyToNull(r.query("scope"));
        AssignmentFilter filter = new AssignmentFilter(scope, "true".equalsIgnoreCase(r.query("includeInherited")),
                emptyToNull(r.query("principalId")));
        if (scope != null && !authorizer.permitsAction(r.principal(), scope, Actions.ROLE_ASSIGNMENTS_READ)) {
            return RbacResponses.forbidden(r.principal(), Actions.ROLE_ASSIGNMENTS_READ, scope, COLLECTION);
        }
        List<ObjectNode> items = new ArrayList<>();
        for (RoleAssignment a : rbac.listAssignments(filter)) {
            // With a readable scope, everything that applies there is visible (inherited ones included);
            // without one, each assignment is shown only to a caller who may read at its scope.
            if (scope != null || authorizer.permitsAction(r.principal(), a.scope(), Actions.ROLE_ASSIGNMENTS_READ)) {
                items.add(RbacJson.render(a));
            }
        }
        return ApiResponse.json(200, RbacJson.list(items), COLLECTION);
    }

    private ApiResponse get(ApiRequest r, AccessRules authorizer, String id) {
        Optional<RoleAssignment> a = rbac.findAssignment(id);
        String scope = a.map(RoleAssignment::scope).orElse(Scope.ROOT);
        String resourceId = RoleAssignment.armId(scope, id);
        if (!authorizer.permitsAction(r.principal(), scope, Actions.ROLE_ASSIGNMENTS_READ)) {
            return RbacResponses.forbidden(r.principal(), Actions.ROLE_ASSIGNMENTS_READ, scope, resourceId);
        }
        return a.map(x -> ApiResponse.json(200, RbacJson.render(x), resourceId))
                .orElseGet(() -> ApiResponse.error(404, "RoleAssignmentNotFound", "The role assignment '" + id + "' is not found.", resourceId));
    }

    private ApiResponse put(ApiRequest r, AccessRules authorizer, String id) {
        RoleAssignment proposed = RbacJson.parseAssignment(id, StrictJson.parse(r.body()));
        String resourceId = proposed.armId();
        if (!authorizer.permitsAction(r.principal(), proposed.scope(), Actions.ROLE_ASSIGNMENTS_WRITE)) {
            return RbacResponses.forbidden(r.principal(), Actions.ROLE_ASSIGNMENTS_WRITE, proposed.scope(), resourceId);
        }
        RbacService.PutResult<RoleAssignment> result = rbac.putAssignment(proposed);
        return ApiResponse.json(result.created() ? 201 : 200, RbacJson.render(result.value()), resourceId).withAudit(audit(proposed, result.created()));
    }

    private ApiResponse delete(ApiRequest r, AccessRules authorizer, String id) {
        Optional<RoleAssignment> a = rbac.findAssignment(id);
        String scope = a.map(RoleAssignment::scope).orElse(Scope.ROOT);
        String resourceId = RoleAssignment.armId(scope, id);
        if (!authorizer.permitsAction(r.principal(), scope, Actions.ROLE_ASSIGNMENTS_DELETE)) {
            return RbacResponses.forbidden(r.principal(), Actions.ROLE_ASSIGNMENTS_DELETE, scope, resourceId);
        }
        Optional<RoleAssignment> deleted = rbac.deleteAssignment(id);
        return deleted.map(x -> ApiResponse.json(200, RbacJson.render(x), resourceId).withAudit(audit(x, null)))
                .orElseGet(() -> ApiResponse.json(204, null, resourceId));
    }

    /** The assignment's facts for the audit record ({@code created} only for a PUT). */
    private static Map<String, Object> audit(RoleAssignment a, Boolean created) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("roleDefinitionId", a.roleDefinitionId());
        m.put("principalId", a.principalId());
        m.put("principalType", a.principalType().name());
        m.put("scope", a.scope());
        if (created != null) {
            m.put("created", created);
        }
        return m;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String resourceOf(ApiRequest r) {
        String[] s = r.segments();
        return s.length == 2 && RbacJson.isGuid(s[1]) ? RoleAssignment.armId(Scope.ROOT, s[1].toLowerCase(Locale.ROOT)) : COLLECTION;
    }
}
