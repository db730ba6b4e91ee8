package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@code bulwark role definition|assignment ...}: role-based access control over the management API. */
@Command(name = "role", mixinStandardHelpOptions = true, description = "Manage role definitions and role assignments.",
        subcommands = {RoleCommand.Definition.class, RoleCommand.Assignment.class})
final class RoleCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final String DEFINITION_ID_PREFIX = "/providers/Microsoft.Authorization/roleDefinitions/";

    /** The three kinds of principal an assignment can name. */
    enum PrincipalType { User, Group, ServicePrincipal }

    static boolean isGuid(String s) {
        return s != null && GUID.matcher(s).matches();
    }

    /** A role as the server names it: its id, and its name when it was looked up by name. */
    record RoleRef(String id, String name) {
    }

    /**
     * A role's id from its id or its name (names ignore case, as on the server). With a
     * {@code scope}, a name is looked up among the roles assignable there, with read access checked
     * there, so an Owner of one account can name roles without rights at {@code /}; without one,
     * among all roles (read access checked at {@code /}).
     */
    static RoleRef resolveRole(ManagementClient client, String nameOrId, String scope) {
        if (isGuid(nameOrId)) {
            return new RoleRef(nameOrId.toLowerCase(java.util.Locale.ROOT), null);
        }
        Map<String, String> query = new HashMap<>();
        query.put("roleName", nameOrId);
        query.put("scope", scope);
        JsonNode found = client.call("GET", "/roleDefinitions", query, null).path("value");
        if (found.isEmpty()) {
            throw new CliException("no role definition named '" + nameOrId + "'" + (scope == null ? "" : " assignable at " + scope)
                    + " (see `bulwark role definition list`)", 1);
        }
        return new RoleRef(found.get(0).path("name").asText(), found.get(0).at("/properties/roleName").asText());
    }

    static void printDefinitions(PrintWriter out, Iterable<JsonNode> definitions) {
        Table t = new Table("NAME", "TYPE", "ID", "ASSIGNABLE SCOPES");
        for (JsonNode d : definitions) {
            List<String> scopes = new ArrayList<>();
            d.at("/properties/assignableScopes").forEach(s -> scopes.add(s.asText()));
            t.row(d.at("/properties/roleName").asText(), d.at("/properties/type").asText(), d.path("name").asText(), String.join(",", scopes));
        }
        t.print(out);
    }

    static void printAssignments(PrintWriter out, Iterable<JsonNode> assignments, Map<String, String> roleNames) {
        Table t = new Table("ID", "ROLE", "PRINCIPAL", "TYPE", "SCOPE");
        for (JsonNode a : assignments) {
            String roleRef = a.at("/properties/roleDefinitionId").asText();
            String roleId = roleRef.substring(roleRef.lastIndexOf('/') + 1);
            t.row(a.path("name").asText(), roleNames.getOrDefault(roleId, roleId), a.at("/properties/principalId").asText(),
                    a.at("/properties/principalType").asText(), a.at("/properties/scope").asText());
        }
        t.print(out);
    }

    // ---------------------------------------------------------------- definitions

    @Command(name = "definition", mixinStandardHelpOptions = true, description = "List, create and delete role definitions.",
            subcommands = {ListDefinitions.class, CreateDefinition.class, DeleteDefinition.class})
    static final class Definition {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List role definitions (built-in and custom).")
    static final class ListDefinitions extends ClientCommand {
        @Option(names = "--name", description = "Only the role with this name (ignoring case)")
        String name;
        @Option(names = "--scope", description = "Only roles assignable at this scope (and read access checked there)")
        String scope;
        @Option(names = "--custom-only", description = "Only custom roles")
        boolean customOnly;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            Map<String, String> query = new HashMap<>();
            query.put("roleName", name);
            query.put("scope", scope);
            JsonNode r = client.call("GET", "/roleDefinitions", query, null);
            ArrayNode value = JSON.createArrayNode();
            r.path("value").forEach(d -> {
                if (!customOnly || d.at("/properties/type").asText().equals("CustomRole")) {
                    value.add(d);
                }
            });
            if (json()) {
                ObjectNode o = JSON.createObjectNode();
                o.set("value", value);
                printJson(out, o);
            } else {
                printDefinitions(out, value);
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a custom role, from flags or from a JSON file.",
                    "The file may be ARM-shaped ({\"properties\":{\"roleName\",...}}), in the `az role definition create` "
                            + "format ({\"Name\",\"Actions\",\"AssignableScopes\",...}) or as `az role definition list` prints a role."})
    static final class CreateDefinition extends ClientCommand {
        @Option(names = "--file", description = "JSON file describing the role (instead of the flags below)")
        Path file;
        @Option(names = "--id", description = "Role definition id (a GUID). Default: the file's, else a new one")
        String id;
        @Option(names = "--name", description = "Role name (unique, ignoring case); required unless --file")
        String name;
        @Option(names = "--description", description = "What the role is for")
        String description;
        @Option(names = "--actions", split = ",", description = "Management actions, comma-separated; '*' is a wildcard")
        List<String> actions = new ArrayList<>();
        @Option(names = "--not-actions", split = ",", description = "Actions subtracted from --actions")
        List<String> notActions = new ArrayList<>();
        @Option(names = "--data-actions", split = ",", description = "Data actions (service calls), comma-separated")
        List<String> dataActions = new ArrayList<>();
        @Option(names = "--not-data-actions", split = ",", description = "Data actions subtracted from --data-actions")
        List<String> notDataActions = new ArrayList<>();
        @Option(names = "--scope", split = ",", description = "Assignable scopes, comma-separated or repeated. Default: /")
        List<String> scopes = new ArrayList<>();

        /** The ARM body to send. */
        ObjectNode body() {
            boolean flags = name != null || description != null || !actions.isEmpty() || !notActions.isEmpty()
                    || !dataActions.isEmpty() || !notDataActions.isEmpty() || !scopes.isEmpty();
            if (file != null) {
                if (flags) {
                    throw new CliException("give either --file or --name with its flags, not both", 2);
                }
                return RoleFiles.toArm(readFile(file));
            }
            if (name == null) {
                throw new CliException("--name is required (or describe the role in a --file)", 2);
            }
            ObjectNode o = JSON.createObjectNode();
            ObjectNode p = o.putObject("properties");
            p.put("roleName", name);
            if (description != null) {
                p.put("description", description);
            }
            ObjectNode perm = p.putArray("permissions").addObject();
            perm.set("actions", strings(actions));
            perm.set("notActions", strings(notActions));
            perm.set("dataActions", strings(dataActions));
            perm.set("notDataActions", strings(notDataActions));
            p.set("assignableScopes", strings(scopes.isEmpty() ? List.of("/") : scopes));
            return o;
        }

        /** PUT to this id, or null to POST (the server picks one). */
        String targetId(ObjectNode body) {
            String fromFile = body.path("name").asText(null);
            String chosen = id != null ? id : fromFile;
            if (chosen != null && !isGuid(chosen)) {
                throw new CliException("the role definition id must be a GUID: " + chosen, 2);
            }
            if (id != null && fromFile != null && !id.equalsIgnoreCase(fromFile)) {
                throw new CliException("--id " + id + " differs from the file's name " + fromFile, 2);
            }
            return chosen;
        }

        @Override
        void run(ManagementClient client, PrintWriter out) {
            ObjectNode body = body();
            String target = targetId(body);
            JsonNode created = target == null
                    ? client.call("POST", "/roleDefinitions", Map.of(), body)
                    : client.call("PUT", "/roleDefinitions/" + target, Map.of(), body);
            if (json()) {
                printJson(out, created);
            } else {
                printDefinitions(out, List.of(created));
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a custom role (it must have no assignments).")
    static final class DeleteDefinition extends ClientCommand {
        @Parameters(index = "0", description = "Role name or id")
        String role;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            String id = resolveRole(client, role, null).id();
            JsonNode deleted = client.call("DELETE", "/roleDefinitions/" + id, Map.of(), null);
            if (deleted == null) {
                throw new CliException("no role definition " + role, 1);
            }
            if (json()) {
                printJson(out, deleted);
            } else {
                out.println("Deleted role definition " + deleted.at("/properties/roleName").asText() + " (" + id + ").");
            }
        }
    }

    // ---------------------------------------------------------------- assignments

    @Command(name = "assignment", mixinStandardHelpOptions = true, description = "Create, list and delete role assignments.",
            subcommands = {CreateAssignment.class, ListAssignments.class, DeleteAssignment.class})
    static final class Assignment {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Assign a role to a user, group or service principal at a scope.")
    static final class CreateAssignment extends ClientCommand {
        @Option(names = "--role", required = true, description = "Role name or id")
        String role;
        @Option(names = "--assignee", required = true, description = "Principal id: a user's object id, a group id, or a workload identity's id")
        String assignee;
        @Option(names = "--assignee-type", required = true, description = "User, Group or ServicePrincipal")
        PrincipalType assigneeType;
        @Option(names = "--scope", required = true, description = "'/', '/accounts/<name>' or narrower")
        String scope;
        @Option(names = "--id", description = "Assignment id (a GUID). Default: a new one")
        String id;

        ObjectNode body(String roleId) {
            ObjectNode o = JSON.createObjectNode();
            ObjectNode p = o.putObject("properties");
            p.put("roleDefinitionId", DEFINITION_ID_PREFIX + roleId);
            p.put("principalId", assignee);
            p.put("principalType", assigneeType.name());
            p.put("scope", scope);
            return o;
        }

        String assignmentId() {
            if (id != null && !isGuid(id)) {
                throw new CliException("the assignment id must be a GUID: " + id, 2);
            }
            return id != null ? id : UUID.randomUUID().toString();
        }

        @Override
        void run(ManagementClient client, PrintWriter out) {
            String target = assignmentId();
            RoleRef ref = resolveRole(client, role, scope);
            JsonNode created = client.call("PUT", "/roleAssignments/" + target, Map.of(), body(ref.id()));
            if (json()) {
                printJson(out, created);
            } else {
                printAssignments(out, List.of(created), ref.name() == null ? Map.of() : Map.of(ref.id(), ref.name()));
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List role assignments.")
    static final class ListAssignments extends ClientCommand {
        @Option(names = "--scope", description = "Only assignments at this scope or under it")
        String scope;
        @Option(names = "--include-inherited", description = "With --scope: also those at its ancestors, which apply there too")
        boolean includeInherited;
        @Option(names = "--assignee", description = "Only this principal id")
        String assignee;

        Map<String, String> query() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("scope", scope);
            q.put("principalId", assignee);
            q.put("includeInherited", includeInherited ? "true" : null);
            return q;
        }

        @Override
        void run(ManagementClient client, PrintWriter out) {
            JsonNode r = client.call("GET", "/roleAssignments", query(), null);
            if (json()) {
                printJson(out, r);
                return;
            }
            Map<String, String> names = new HashMap<>();
            try {
                client.call("GET", "/roleDefinitions", Map.of(), null).path("value")
                        .forEach(d -> names.put(d.path("name").asText(), d.at("/properties/roleName").asText()));
            } catch (CliException e) {
                // Role names are a convenience: a caller who may not read definitions sees the ids.
            }
            printAssignments(out, r.path("value"), names);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a role assignment.")
    static final class DeleteAssignment extends ClientCommand {
        @Parameters(index = "0", description = "Assignment id")
        String id;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            if (!isGuid(id)) {
                throw new CliException("the assignment id must be a GUID: " + id, 2);
            }
            JsonNode deleted = client.call("DELETE", "/roleAssignments/" + id, Map.of(), null);
            if (deleted == null) {
                throw new CliException("no role assignment " + id, 1);
            }
            if (json()) {
                printJson(out, deleted);
            } else {
                out.println("Deleted role assignment " + id + ".");
            }
        }
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = JSON.createArrayNode();
        for (String v : values) {
            if (!v.isBlank()) {
                a.add(v.strip());
            }
        }
        return a;
    }

    private static JsonNode readFile(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new CliException("cannot read the role file " + file + ": " + e.getMessage().lines().findFirst().orElse(""), 2);
        }
    }
}
