package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Role definition files in the shapes people already have, turned into the ARM body the server
 * takes: ARM itself ({@code {"properties":{...}}}, passed through), the {@code az role definition
 * create} format ({@code {"Name","Actions","NotActions","DataActions","NotDataActions",
 * "AssignableScopes"}}, keys in any case), and a role as {@code az role definition list} prints it
 * ({@code {"roleName","permissions":[...],"assignableScopes"}}). A key it does not know is an error,
 * never silently dropped (a dropped {@code NotActions} would widen the role).
 */
final class RoleFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN = Set.of("name", "rolename", "description", "actions", "notactions", "dataactions",
            "notdataactions", "assignablescopes", "permissions", "iscustom", "id", "type", "roletype", "createdon", "updatedon",
            "createdby", "updatedby");
    private static final Set<String> LISTS = Set.of("actions", "notactions", "dataactions", "notdataactions");

    private RoleFiles() {
    }

    static ObjectNode toArm(JsonNode file) {
        if (file == null || !file.isObject()) {
            throw new CliException("the role file must hold one JSON object", 2);
        }
        if (file.has("properties")) {
            return (ObjectNode) file.deepCopy();
        }
        Map<String, JsonNode> f = new HashMap<>();
        file.properties().forEach(e -> {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (!KNOWN.contains(key)) {
                throw new CliException("the role file has a field this version does not understand: '" + e.getKey() + "'", 2);
            }
            if (f.put(key, e.getValue()) != null) {
                throw new CliException("the role file names '" + e.getKey() + "' twice (keys ignore case)", 2);
            }
        });
        if (f.containsKey("iscustom") && !f.get("iscustom").asBoolean(true)) {
            throw new CliException("the role file describes a built-in role (IsCustom: false); only custom roles can be created", 2);
        }
        ObjectNode o = JSON.createObjectNode();
        // "name" is the role's name in the az create format, but its GUID in ARM and az list output.
        String name = text(f, "name");
        String roleName = text(f, "rolename");
        if (roleName == null && name != null && !RoleCommand.isGuid(name)) {
            roleName = name;
        } else if (name != null && RoleCommand.isGuid(name)) {
            o.put("name", name);
        }
        String id = text(f, "id");
        if (!o.has("name") && id != null) {
            String tail = id.substring(id.lastIndexOf('/') + 1);
            if (RoleCommand.isGuid(tail)) {
                o.put("name", tail);
            }
        }
        ObjectNode p = o.putObject("properties");
        if (roleName == null) {
            throw new CliException("the role file has no role name (\"Name\" or \"roleName\")", 2);
        }
        p.put("roleName", roleName);
        if (f.containsKey("description") && !f.get("description").isNull()) {
            p.put("description", text(f, "description"));
        }
        boolean flat = LISTS.stream().anyMatch(f::containsKey);
        if (flat && f.containsKey("permissions")) {
            throw new CliException("the role file has both \"permissions\" and top-level \"Actions\"-style lists; use one", 2);
        }
        if (flat) {
            ObjectNode perm = p.putArray("permissions").addObject();
            perm.set("actions", array(f.get("actions")));
            perm.set("notActions", array(f.get("notactions")));
            perm.set("dataActions", array(f.get("dataactions")));
            perm.set("notDataActions", array(f.get("notdataactions")));
        } else if (f.containsKey("permissions")) {
            p.set("permissions", f.get("permissions").deepCopy());
        }
        if (f.containsKey("assignablescopes")) {
            p.set("assignableScopes", array(f.get("assignablescopes")));
        } else {
            p.putArray("assignableScopes").add("/");
        }
        return o;
    }

    private static String text(Map<String, JsonNode> f, String key) {
        JsonNode n = f.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new CliException("\"" + key + "\" in the role file must be a string", 2);
        }
        return n.asText();
    }

    private static ArrayNode array(JsonNode n) {
        if (n == null || n.isNull()) {
            return JSON.createArrayNode();
        }
        if (!n.isArray()) {
            throw new CliException("the role file's action and scope lists must be JSON arrays", 2);
        }
        return (ArrayNode) n.deepCopy();
    }
}
