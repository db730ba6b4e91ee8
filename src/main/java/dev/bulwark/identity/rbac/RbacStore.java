package dev.bulwark.identity.rbac;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** JDBC access to custom role definitions and role assignments. Every method runs inside the caller's transaction. */
public final class RbacStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFINITION_COLUMNS = "id, role_name, description, permissions_json, assignable_scopes_json";
    private static final String ASSIGNMENT_COLUMNS = "id, role_definition_id, principal_id, principal_type, scope";

    /** Every role and assignment, for the data-plane snapshot. Call inside one read transaction. */
    public AccessPolicy loadPolicy(Connection c) throws SQLException {
        List<RoleDefinition> roles = new ArrayList<>(BuiltInRoles.all());
        roles.addAll(customDefinitions(c));
        return AccessPolicy.of(roles, assignments(c, AssignmentFilter.ALL));
    }

    // ---- role definitions ----

    public List<RoleDefinition> customDefinitions(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + DEFINITION_COLUMNS + " FROM role_definitions ORDER BY role_name_key")) {
            return readDefinitions(p);
        }
    }

    public Optional<RoleDefinition> findCustom(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + DEFINITION_COLUMNS + " FROM role_definitions WHERE id = ?")) {
            p.setString(1, id);
            return readDefinitions(p).stream().findFirst();
        }
    }

    public Optional<RoleDefinition> findCustomByName(Connection c, String roleName) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + DEFINITION_COLUMNS + " FROM role_definitions WHERE role_name_key = ?")) {
            p.setString(1, BuiltInRoles.nameKey(roleName));
            return readDefinitions(p).stream().findFirst();
        }
    }

    public void insertDefinition(Connection c, RoleDefinition d, Instant now) throws SQLException {
        requireCustom(d);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO role_definitions(id, role_name, role_name_key, description, "
                + "permissions_json, assignable_scopes_json, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)")) {
            p.setString(1, d.id());
            p.setString(2, d.roleName());
            p.setString(3, BuiltInRoles.nameKey(d.roleName()));
            p.setString(4, d.description());
            p.setString(5, permissionsJson(d.permissions()));
            p.setString(6, array(d.assignableScopes()).toString());
            p.setString(7, now.toString());
            p.setString(8, now.toString());
            p.executeUpdate();
        }
    }

    public void updateDefinition(Connection c, RoleDefinition d, Instant now) throws SQLException {
        requireCustom(d);
        try (PreparedStatement p = c.prepareStatement("UPDATE role_definitions SET role_name = ?, role_name_key = ?, description = ?, "
                + "permissions_json = ?, assignable_scopes_json = ?, updated_at = ? WHERE id = ?")) {
            p.setString(1, d.roleName());
            p.setString(2, BuiltInRoles.nameKey(d.roleName()));
            p.setString(3, d.description());
            p.setString(4, permissionsJson(d.permissions()));
            p.setString(5, array(d.assignableScopes()).toString());
            p.setString(6, now.toString());
            p.setString(7, d.id());
            if (p.executeUpdate() != 1) {
                throw new StoreException("role definition " + d.id() + " vanished during update");
            }
        }
    }

    public boolean deleteDefinition(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM role_definitions WHERE id = ?")) {
            p.setString(1, id);
            return p.executeUpdate() == 1;
        }
    }

    // ---- role assignments ----

    public Optional<RoleAssignment> findAssignment(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + ASSIGNMENT_COLUMNS + " FROM role_assignments WHERE id = ?")) {
            p.setString(1, id);
            return readAssignments(p).stream().findFirst();
        }
    }

    /** The assignment of this role to this principal at this scope, whatever its id. */
    public Optional<RoleAssignment> findGrant(Connection c, String roleDefinitionId, String principalId, String scope) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + ASSIGNMENT_COLUMNS
                + " FROM role_assignments WHERE role_definition_id = ? AND principal_id = ? AND scope = ?")) {
            p.setString(1, roleDefinitionId);
            p.setString(2, principalId);
            p.setString(3, scope);
            return readAssignments(p).stream().findFirst();
        }
    }

    public List<RoleAssignment> assignmentsOfRole(Connection c, String roleDefinitionId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + ASSIGNMENT_COLUMNS
                + " FROM role_assignments WHERE role_definition_id = ? ORDER BY scope, id")) {
            p.setString(1, roleDefinitionId);
            return readAssignments(p);
        }
    }

    /**
     * Assignments passing {@code f}, ordered by scope then id. "At or under a scope" is a range on
     * the scope index: the scope itself, or strings in {@code ["<scope>/", "<scope>0")} ('0' is the
     * character after '/'); inherited ones are the scope's ancestors, listed exactly.
     */
    public List<RoleAssignment> assignments(Connection c, AssignmentFilter f) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + ASSIGNMENT_COLUMNS + " FROM role_assignments WHERE 1 = 1");
        List<String> params = new ArrayList<>();
        if (f.principalId() != null) {
            sql.append(" AND principal_id = ?");
            params.add(f.principalId());
        }
        if (f.scope() != null && !f.scope().equals(Scope.ROOT)) {
            sql.append(" AND (scope = ? OR (scope >= ? AND scope < ?)");
            params.add(f.scope());
            params.add(f.scope() + "/");
            params.add(f.scope() + "0");
            if (f.includeInherited()) {
                List<String> ancestors = ancestors(f.scope());
                sql.append(" OR scope IN (").append("?,".repeat(ancestors.size() - 1)).append("?)");
                params.addAll(ancestors);
            }
            sql.append(")");
        }
        sql.append(" ORDER BY scope, id");
        try (PreparedStatement p = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                p.setString(i + 1, params.get(i));
            }
            return readAssignments(p);
        }
    }

    public void insertAssignment(Connection c, RoleAssignment a, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO role_assignments(" + ASSIGNMENT_COLUMNS + ", created_at) VALUES (?,?,?,?,?,?)")) {
            p.setString(1, a.id());
            p.setString(2, a.roleDefinitionId());
            p.setString(3, a.principalId());
            p.setString(4, a.principalType().name());
            p.setString(5, a.scope());
            p.setString(6, now.toString());
            p.executeUpdate();
        }
    }

    public boolean deleteAssignment(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM role_assignments WHERE id = ?")) {
            p.setString(1, id);
            return p.executeUpdate() == 1;
        }
    }

    /** The strict ancestors of a valid scope, nearest last: {@code /}, {@code /accounts/a}, ... */
    static List<String> ancestors(String scope) {
        List<String> out = new ArrayList<>();
        if (scope.equals(Scope.ROOT)) {
            return out;
        }
        out.add(Scope.ROOT);
        int i = "/accounts/".length();
        while ((i = scope.indexOf('/', i)) > 0) {
            out.add(scope.substring(0, i));
            i++;
        }
        return out;
    }

    private static void requireCustom(RoleDefinition d) {
        if (d.builtIn()) {
            throw new IllegalArgumentException("built-in roles are never stored: " + d.roleName());
        }
    }

    private static List<RoleDefinition> readDefinitions(PreparedStatement p) throws SQLException {
        List<RoleDefinition> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                try {
                    JsonNode perms = JSON.readTree(rs.getString(4));
                    Permission permission = new Permission(strings(perms.get("actions")), strings(perms.get("notActions")),
                            strings(perms.get("dataActions")), strings(perms.get("notDataActions")));
                    out.add(new RoleDefinition(id, rs.getString(2), rs.getString(3), RoleType.CUSTOM, permission,
                            strings(JSON.readTree(rs.getString(5)))));
                } catch (JsonProcessingException | RbacException e) {
                    throw new StoreException("corrupt role definition row " + id + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    private static List<RoleAssignment> readAssignments(PreparedStatement p) throws SQLException {
        List<RoleAssignment> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                try {
                    out.add(new RoleAssignment(id, rs.getString(2), rs.getString(3), PrincipalType.valueOf(rs.getString(4)), rs.getString(5)));
                } catch (RbacException | IllegalArgumentException e) {
                    throw new StoreException("corrupt role assignment row " + id + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array == null || !array.isArray()) {
            throw new StoreException("expected a JSON array");
        }
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }

    private static String permissionsJson(Permission p) {
        ObjectNode o = JSON.createObjectNode();
        o.set("actions", array(p.actions()));
        o.set("notActions", array(p.notActions()));
        o.set("dataActions", array(p.dataActions()));
        o.set("notDataActions", array(p.notDataActions()));
        return o.toString();
    }

    private static ArrayNode array(List<String> values) {
        ArrayNode a = JSON.createArrayNode();
        values.forEach(a::add);
        return a;
    }
}
