package dev.bulwark.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.identity.Principal;
import dev.bulwark.identity.rbac.RbacService;
import dev.bulwark.store.Database;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** The two RBAC APIs over a real database, authorised by the policy loaded from it (as production wires them). */
final class RbacApiFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Principal ADMIN = new Principal.BootstrapAdmin();

    final Database db;
    final RbacService rbac;
    final AtomicInteger changes = new AtomicInteger();
    final RoleDefinitionsApi definitions;
    final RoleAssignmentsApi assignments;

    RbacApiFixture(Path dir) {
        db = Database.openSqlite(dir.resolve("b.db"));
        rbac = new RbacService(db, Clock.systemUTC(), changes::incrementAndGet);
        definitions = new RoleDefinitionsApi(rbac, rbac::loadPolicy);
        assignments = new RoleAssignmentsApi(rbac, rbac::loadPolicy);
    }

    static Principal.User user(String oid, String... groups) {
        return new Principal.User("https://idp.example", oid, Set.of(groups), oid);
    }

    record Answer(int status, JsonNode json, ApiResponse raw) {
        String code() {
            return json == null ? null : json.path("error").path("code").asText(null);
        }
    }

    /** The current policy's answer, as a request arriving now would get it. */
    boolean permits(Principal who, String scope, String action) {
        return rbac.loadPolicy().permitsAction(who, scope, action);
    }

    /** {@code path} like {@code /roleAssignments/<id>?scope=/accounts/a}; body JSON with ' for ". */
    Answer call(Principal who, String method, String path, String body) {
        String p = path;
        Map<String, String> query = new HashMap<>();
        int q = p.indexOf('?');
        if (q >= 0) {
            for (String kv : p.substring(q + 1).split("&")) {
                int eq = kv.indexOf('=');
                query.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            p = p.substring(0, q);
        }
        String[] segments = p.substring(1).split("/", -1);
        byte[] bytes = body == null ? new byte[0] : body.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
        ApiRequest r = new ApiRequest(method, segments, query, bytes, who, "rid", "127.0.0.1");
        ApiResponse a = segments[0].equals("roleDefinitions") ? definitions.handle(r) : assignments.handle(r);
        try {
            return new Answer(a.status(), a.body().isEmpty() ? null : JSON.readTree(a.body()), a);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + a.body(), e);
        }
    }

    static String assignmentBody(String roleId, String principalId, String type, String scope) {
        return "{'properties':{'roleDefinitionId':'/providers/Microsoft.Authorization/roleDefinitions/" + roleId + "','principalId':'"
                + principalId + "','principalType':'" + type + "','scope':'" + scope + "'}}";
    }

    @Override
    public void close() {
        db.close();
    }
}
