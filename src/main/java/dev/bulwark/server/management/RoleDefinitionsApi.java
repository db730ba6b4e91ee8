package dev.bulwark.server.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.identity.rbac.Actions;
import dev.bulwark.identity.rbac.RbacJson;
import dev.bulwark.identity.rbac.RbacService;
import dev.bulwark.identity.rbac.RoleDefinition;
import dev.bulwark.identity.rbac.Scope;
import dev.bulwark.snapshot.AccessRules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The ARM-shaped role definitions API: {@code GET/POST /roleDefinitions},
 * {@code GET/PUT/DELETE /roleDefinitions/{id}}.
 *
 * <p>Authorises inside, because the scope is part of the resource: reads at {@code ?scope=}
 * (default {@code /}); a write or delete needs the action at every assignable scope the role has
 * or will have, so that an operator trusted with one account can define roles for that account
 * only. ({@code ?scope=} on a list also narrows it to roles assignable there.)
 */
final class RoleDefinitionsApi {
    static final String COLLECTION = "/roleDefinitions";

    private final RbacService rbac;
    private final Supplier<? extends AccessRules> policy;

    /**
     * {@code policy} gives the current access rules (in production, the current snapshot's); it is
     * read once per request, so all of a request's checks see one policy.
     */
    RoleDefinitionsApi(RbacService rbac, Supplier<? extends AccessRules> policy) {
        this.rbac = Objects.requireNonNull(rbac);
        this.policy = Objects.requireNonNull(policy);
    }

    /** The action (ARM operation name) for authorisation and the audit record, known before the call runs. */
    static String operationName(String method, String[] segments) {
        return RbacResponses.operationName(method, Actions.ROLE_DEFINITIONS_WRITE, Actions.ROLE_DEFINITIONS_DELETE, Actions.ROLE_DEFINITIONS_READ);
    }

    ApiResponse handle(ApiRequest r) {
        return RbacResponses.handle(r, policy, this::route, RoleDefinitionsApi::resourceOf);
    }

    private ApiResponse route(ApiRequest r, AccessRules authorizer) {
        String[] s = r.segments();
        if (s.length == 1) {
            return switch (r.method()) {
                case "GET" -> list(r, authorizer);
                case "POST" -> put(r, authorizer, UUID.randomUUID().toString(), true);
                default -> RbacResponses.methodNotAllowed("GET, POST", COLLECTION);
            };
        }
        if (s.length != 2) {
            return ApiResponse.error(404, "NotFound", "no such operation", COLLECTION);
        }
        String id = RbacJson.roleDefinitionGuid(s[1]);
        return switch (r.method()) {
            case "GET" -> get(r, authorizer, id);
            case "PUT" -> put(r, authorizer, id, false);
            case "DELETE" -> delete(r, authorizer, id);
            default -> RbacResponses.methodNotAllowed("GET, PUT, DELETE", RoleDefinition.ID_PREFIX + id);
        };
    }

    private ApiResponse list(ApiRequest r, AccessRules authorizer) {
        String scope = readScope(r);
        if (!authorizer.permitsAction(r.principal(), scope, Actions.ROLE_DEFINITIONS_READ)) {
            return RbacResponses.forbidden(r.principal(), Actions.ROLE_DEFINITIONS_READ, scope, COLLECTION);
        }
        boolean narrowed = r.query("scope") != null && !r.query("scope").isEmpty();
        String roleName = r.query("roleName");
        List<ObjectNode> items = new ArrayList<>();
        for (RoleDefinition d : rbac.listDefinitions()) {
            if ((roleName == null || d.roleName().equalsIgnoreCase(roleName)) && (!narrowed || d.assignableAt(scope))) {
                items.add(RbacJson.render(d));
            }
        }
        return ApiResponse.json(200, RbacJson.list(items), COLLECTION);
    }

    private ApiResponse get(ApiRequest r, AccessRules authorizer, String id) {
        String scope = readScope(r);
        String resourceId = RoleDefinition.ID_PREFIX + id;
        if (!authorizer.permitsAction(r.principal(), scope, Actions.ROLE_DEFINITIONS_READ)) {
            return RbacResponses.forbidden(r.principal(), Actions.ROLE_DEFINITIONS_READ, scope, resourceId);
        }
        return ApiResponse.json(200, RbacJson.render(rbac.getDefinition(id)), resourceId);
    }

    private ApiResponse put(ApiRequest r, AccessRules authorizer, String id, boolean mustCreate) {
        String resourceId = RoleDefinition.ID_PREFIX + id;
        RoleDefinition proposed = RbacJson.parseDefinition(id, StrictJson.parse(r.body()));
        Set<String> scopes = new LinkedHashSet<>(proposed.assignableScopes());
        Optional<RoleDefinition> existing = mustCreate ? Optional.empty() : rbac.findDefinition(id);
        existing.ifPresent(e -> scopes.addAll(e.assignableScopes()));
        String refused = RbacResponses.firstRefused(authorizer, r.principal(), Actions.ROLE_DEFINITIONS_WRITE, List.copyOf(scopes));
        if (refused != null) {
            return RbacResponses.forbidden(r.principal(), Actions.ROLE_DEFINITIONS_WRITE, refused, resourceId);
        }
        RbacService.PutResult<RoleDefinition> result = mustCreate
                ? new RbacService.PutResult<>(rbac.createDefinition(proposed), true)
                : rbac.putDefinition(proposed);
        return ApiResponse.json(result.created() ? 201 : 200, RbacJson.render(result.value()), resourceId)
                .withAudit(Map.of("roleName", proposed.roleName(), "created", result.created()));
    }

    private ApiResponse delete(ApiRequest r, AccessRules authorizer, String id) {
        String resourceId = RoleDefinition.ID_PREFIX + id;
        Optional<RoleDefinition> existing = rbac.findDefinition(id);
        // Absent, or built-in (assignable at "/"): only a caller allowed to delete at "/" learns which.
        List<String> scopes = existing.filter(d -> !d.builtIn()).map(RoleDefinition::assignableScopes).orElse(List.of(Scope.ROOT));
        String refused = RbacResponses.firstRefused(authorizer, r.principal(), Actions.ROLE_DEFINITIONS_DELETE, scopes);
        if (refused != null) {
            return RbacResponses.forbidden(r.principal(), Actions.ROLE_DEFINITIONS_DELETE, refused, resourceId);
        }
        if (existing.isEmpty()) {
            return ApiResponse.json(204, null, resourceId);
        }
        return rbac.deleteDefinition(id)
                ? ApiResponse.json(200, RbacJson.render(existing.get()), resourceId).withAudit(Map.of("roleName", existing.get().roleName()))
                : ApiResponse.json(204, null, resourceId);
    }

    private static String readScope(ApiRequest r) {
        String s = r.query("scope");
        return s == null || s.isEmpty() ? Scope.ROOT : Scope.validate(s);
    }

    private static String resourceOf(ApiRequest r) {
        String[] s = r.segments();
        return s.length == 2 && RbacJson.isGuid(s[1]) ? RoleDefinition.ID_PREFIX + s[1].toLowerCase(Locale.ROOT) : COLLECTION;
    }
}
