package dev.bulwark.identity.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * ARM-shaped role definition and role assignment bodies: parsing PUT/POST requests and rendering
 * responses. Unknown fields are refused by name; read-only fields a client echoes back from a GET
 * ({@code id}, {@code type}, {@code createdOn}, ...) are accepted and ignored.
 */
public final class RbacJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP_LEVEL = Set.of("id", "name", "type", "properties");
    private static final Set<String> READ_ONLY_PROPERTIES = Set.of("createdOn", "updatedOn", "createdBy", "updatedBy");
    private static final Set<String> DEFINITION_PROPERTIES = Set.of("roleName", "description", "type", "permissions", "assignableScopes");
    private static final Set<String> PERMISSION_FIELDS = Set.of("actions", "notActions", "dataActions", "notDataActions");
    private static final Set<String> ASSIGNMENT_PROPERTIES = Set.of("roleDefinitionId", "principalId", "principalType", "scope");
    private static final Set<String> NOT_SUPPORTED_ASSIGNMENT = Set.of("condition", "conditionVersion", "delegatedManagedIdentityResourceId",
            "description");

    private RbacJson() {
    }

    /** A custom role definition from a PUT/POST body; {@code id} comes from the path (or is new). */
    public static RoleDefinition parseDefinition(String id, JsonNode body) {
        ObjectNode o = object(body, "the request body");
        checkTopLevel(o, id, RoleDefinition.ARM_TYPE);
        ObjectNode p = object(o.get("properties"), "properties");
        for (var it = p.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!DEFINITION_PROPERTIES.contains(f) && !READ_ONLY_PROPERTIES.contains(f)) {
                throw RbacException.invalid("InvalidRequestContent", "unknown property 'properties." + f + "'");
            }
        }
        String type = text(p, "type");
        if (type != null && !type.equalsIgnoreCase(RoleType.CUSTOM.armName())) {
            throw RbacException.invalid("InvalidRoleDefinitionType", "properties.type must be 'CustomRole': built-in roles cannot be created");
        }
        JsonNode perms = p.get("permissions");
        if (perms == null || !perms.isArray() || perms.size() != 1) {
            throw RbacException.invalid("InvalidPermissions", "properties.permissions must be an array of exactly one "
                    + "{\"actions\":[],\"notActions\":[],\"dataActions\":[],\"notDataActions\":[]}");
        }
        ObjectNode perm = object(perms.get(0), "properties.permissions[0]");
        for (var it = perm.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!PERMISSION_FIELDS.contains(f)) {
                throw RbacException.invalid("InvalidPermissions", "unknown field 'properties.permissions[0]." + f + "'"
                        + (f.equals("condition") ? " (conditions are not supported)" : ""));
            }
        }
        Permission permission = new Permission(strings(perm, "actions"), strings(perm, "notActions"),
                strings(perm, "dataActions"), strings(perm, "notDataActions"));
        String roleName = text(p, "roleName");
        if (roleName == null) {
            throw RbacException.invalid("InvalidRoleName", "properties.roleName is required");
        }
        List<String> scopes = p.has("assignableScopes") && !p.get("assignableScopes").isNull() ? strings(p, "assignableScopes") : List.of();
        return new RoleDefinition(id, roleName, text(p, "description"), RoleType.CUSTOM, permission, scopes);
    }

    /** A role assignment from a PUT body; {@code id} comes from the path. */
    public static RoleAssignment parseAssignment(String id, JsonNode body) {
        ObjectNode o = object(body, "the request body");
        checkTopLevel(o, id, RoleAssignment.ARM_TYPE);
        ObjectNode p = object(o.get("properties"), "properties");
        for (var it = p.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (NOT_SUPPORTED_ASSIGNMENT.contains(f)) {
                throw RbacException.invalid("FeatureNotSupported", "'properties." + f + "' is not supported by this version of Bulwark");
            }
            if (!ASSIGNMENT_PROPERTIES.contains(f) && !READ_ONLY_PROPERTIES.contains(f)) {
                throw RbacException.invalid("InvalidRequestContent", "unknown property 'properties." + f + "'");
            }
        }
        String roleDefinitionId = text(p, "roleDefinitionId");
        if (roleDefinitionId == null) {
            throw RbacException.invalid("InvalidRoleDefinitionId", "properties.roleDefinitionId is required");
        }
        String type = text(p, "principalType");
        if (type == null) {
            throw RbacException.invalid("InvalidPrincipalType", "properties.principalType is required: User, Group or ServicePrincipal");
        }
        String scope = text(p, "scope");
        if (scope == null) {
            throw RbacException.invalid("InvalidScope", "properties.scope is required, such as '/' or '/accounts/<name>'");
        }
        return new RoleAssignment(id, roleDefinitionGuid(roleDefinitionId), text(p, "principalId"), PrincipalType.parse(type), scope);
    }

    /**
     * The GUID of a role definition reference: a bare GUID, or an ARM id ending in
     * {@code /providers/Microsoft.Authorization/roleDefinitions/<guid>} (with or without a scope
     * before it, as Azure tools write it).
     */
    public static String roleDefinitionGuid(String reference) {
        String s = reference == null ? "" : reference.strip();
        int at = s.toLowerCase(Locale.ROOT).lastIndexOf(RoleDefinition.ID_PREFIX.toLowerCase(Locale.ROOT));
        if (at >= 0) {
            s = s.substring(at + RoleDefinition.ID_PREFIX.length());
        }
        return Guid.require(s, "InvalidRoleDefinitionId",
                "roleDefinitionId (a GUID, or /providers/Microsoft.Authorization/roleDefinitions/<GUID>)");
    }

    /** True for a GUID in any case (role definition and assignment ids). */
    public static boolean isGuid(String s) {
        return Guid.isValid(s);
    }

    public static ObjectNode render(RoleDefinition d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", d.armId());
        o.put("name", d.id());
        o.put("type", RoleDefinition.ARM_TYPE);
        ObjectNode p = o.putObject("properties");
        p.put("roleName", d.roleName());
        p.put("description", d.description());
        p.put("type", d.type().armName());
        ObjectNode perm = p.putArray("permissions").addObject();
        perm.set("actions", array(d.permissions().actions()));
        perm.set("notActions", array(d.permissions().notActions()));
        perm.set("dataActions", array(d.permissions().dataActions()));
        perm.set("notDataActions", array(d.permissions().notDataActions()));
        p.set("assignableScopes", array(d.assignableScopes()));
        return o;
    }

    public static ObjectNode render(RoleAssignment a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", a.armId());
        o.put("name", a.id());
        o.put("type", RoleAssignment.ARM_TYPE);
        ObjectNode p = o.putObject("properties");
        p.put("roleDefinitionId", RoleDefinition.ID_PREFIX + a.roleDefinitionId());
        p.put("principalId", a.principalId());
        p.put("principalType", a.principalType().name());
        p.put("scope", a.scope());
        return o;
    }

    /** {@code {"value":[...]}}, ARM's list shape. */
    public static ObjectNode list(List<ObjectNode> items) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode value = o.putArray("value");
        items.forEach(value::add);
        return o;
    }

    private static void checkTopLevel(ObjectNode o, String id, String armType) {
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP_LEVEL.contains(f)) {
                throw RbacException.invalid("InvalidRequestContent", "unknown field '" + f + "'");
            }
        }
        String name = text(o, "name");
        if (name != null && !name.equalsIgnoreCase(id)) {
            throw RbacException.invalid("InvalidRequestContent", "name in the body ('" + Scope.printable(name)
                    + "') differs from the id in the path ('" + id + "')");
        }
        String type = text(o, "type");
        if (type != null && !type.equalsIgnoreCase(armType)) {
            throw RbacException.invalid("InvalidRequestContent", "type must be '" + armType + "'");
        }
        String armId = text(o, "id");
        if (armId != null && !armId.toLowerCase(Locale.ROOT).endsWith("/" + id.toLowerCase(Locale.ROOT))) {
            throw RbacException.invalid("InvalidRequestContent", "id in the body ('" + Scope.printable(armId)
                    + "') does not end with the id in the path ('" + id + "')");
        }
    }

    private static ObjectNode object(JsonNode n, String what) {
        if (n == null || !n.isObject()) {
            throw RbacException.invalid("InvalidRequestContent", what + " must be a JSON object");
        }
        return (ObjectNode) n;
    }

    private static String text(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw RbacException.invalid("InvalidRequestContent", field + " must be a string");
        }
        return n.asText();
    }

    private static List<String> strings(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw RbacException.invalid("InvalidRequestContent", field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw RbacException.invalid("InvalidRequestContent", field + " must be an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static ArrayNode array(List<String> values) {
        ArrayNode a = JSON.createArrayNode();
        values.forEach(a::add);
        return a;
    }
}
