package dev.bulwark.identity.rbac;

import dev.bulwark.store.Database;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Role definitions and assignments. Built-in roles are immutable; custom roles have unique names
 * (ignoring case, built-ins included) and cannot be deleted while assigned. An assignment needs an
 * existing role that is assignable at its scope, and a (role, principal, scope) is assigned at most
 * once. Every check runs inside the write transaction that makes the change; after the commit,
 * {@code onChange} runs (it rebuilds the data-plane snapshot) before the method returns.
 * Blocking: call from a worker thread, never an event loop.
 */
public final class RbacService {
    private final Database db;
    private final RbacStore store = new RbacStore();
    private final Clock clock;
    private final Runnable onChange;

    public RbacService(Database db, Clock clock, Runnable onChange) {
        this.db = Objects.requireNonNull(db);
        this.clock = Objects.requireNonNull(clock);
        this.onChange = Objects.requireNonNull(onChange);
    }

    public record PutResult<T>(T value, boolean created) {
    }

    // ---- role definitions ----

    /** Built-in roles first (in their fixed order), then custom roles by name. */
    public List<RoleDefinition> listDefinitions() {
        List<RoleDefinition> out = new ArrayList<>(BuiltInRoles.all());
        out.addAll(db.read(store::customDefinitions));
        return out;
    }

    public Optional<RoleDefinition> findDefinition(String id) {
        if (!Guid.isValid(id)) {
            return Optional.empty();
        }
        String key = Guid.require(id, "InvalidRoleDefinitionId", "id");
        Optional<RoleDefinition> builtIn = BuiltInRoles.byId(key);
        return builtIn.isPresent() ? builtIn : db.read(c -> store.findCustom(c, key));
    }

    /** A 404 {@code RoleDefinitionDoesNotExist} if absent. */
    public RoleDefinition getDefinition(String id) {
        return findDefinition(id).orElseThrow(() -> RbacException.notFound("RoleDefinitionDoesNotExist",
                "The role definition '" + Scope.printable(id) + "' does not exist."));
    }

    /** By role name, ignoring case. */
    public Optional<RoleDefinition> findDefinitionByName(String roleName) {
        if (roleName == null || roleName.isBlank()) {
            return Optional.empty();
        }
        Optional<RoleDefinition> builtIn = BuiltInRoles.byName(roleName);
        return builtIn.isPresent() ? builtIn : db.read(c -> store.findCustomByName(c, roleName));
    }

    /** Creates a custom role under a new id. */
    public RoleDefinition createDefinition(RoleDefinition d) {
        return put(d, true).value();
    }

    /** Creates the custom role {@code d.id()}, or replaces it if it exists. A built-in id is a 409. */
    public PutResult<RoleDefinition> putDefinition(RoleDefinition d) {
        return put(d, false);
    }

    private PutResult<RoleDefinition> put(RoleDefinition d, boolean mustCreate) {
        if (d.builtIn() || BuiltInRoles.byId(d.id()).isPresent()) {
            throw builtInImmutable(d.id());
        }
        BuiltInRoles.byName(d.roleName()).ifPresent(b -> {
            throw sameName(d.roleName());
        });
        Instant now = clock.instant();
        PutResult<RoleDefinition> result = db.inTransaction(c -> {
            Optional<RoleDefinition> sameName = store.findCustomByName(c, d.roleName());
            if (sameName.isPresent() && !sameName.get().id().equals(d.id())) {
                throw sameName(d.roleName());
            }
            Optional<RoleDefinition> existing = store.findCustom(c, d.id());
            if (existing.isEmpty()) {
                store.insertDefinition(c, d, now);
                return new PutResult<>(d, true);
            }
            if (mustCreate) {
                throw RbacException.conflict("RoleDefinitionExists", "A role definition with id '" + d.id() + "' already exists.");
            }
            for (RoleAssignment a : store.assignmentsOfRole(c, d.id())) {
                if (!d.assignableAt(a.scope())) {
                    throw RbacException.conflict("RoleDefinitionHasAssignments", "The role is assigned at '" + a.scope()
                            + "' (assignment " + a.id() + "), which the new assignableScopes do not cover; remove that assignment first.");
                }
            }
            store.updateDefinition(c, d, now);
            return new PutResult<>(d, false);
        });
        onChange.run();
        return result;
    }

    /**
     * Deletes a custom role; true if it existed. A built-in role is a 409 {@code BuiltInRoleImmutable};
     * a role still assigned is a 409 {@code RoleDefinitionHasAssignments}.
     */
    public boolean deleteDefinition(String id) {
        String key = Guid.require(id, "InvalidRoleDefinitionId", "the role definition id");
        if (BuiltInRoles.byId(key).isPresent()) {
            throw builtInImmutable(key);
        }
        boolean deleted = db.inTransaction(c -> {
            List<RoleAssignment> uses = store.assignmentsOfRole(c, key);
            if (!uses.isEmpty()) {
                throw RbacException.conflict("RoleDefinitionHasAssignments", "There are existing role assignments referencing role "
                        + "(" + uses.size() + ", for example " + uses.get(0).id() + " at '" + uses.get(0).scope() + "'); delete them first.");
            }
            return store.deleteDefinition(c, key);
        });
        if (deleted) {
            onChange.run();
        }
        return deleted;
    }

    // ---- role assignments ----

    public Optional<RoleAssignment> findAssignment(String id) {
        if (!Guid.isValid(id)) {
            return Optional.empty();
        }
        String key = Guid.require(id, "InvalidRoleAssignmentId", "id");
        return db.read(c -> store.findAssignment(c, key));
    }

    public List<RoleAssignment> listAssignments(AssignmentFilter filter) {
        return db.read(c -> store.assignments(c, filter));
    }

    /**
     * Creates assignment {@code a.id()}. Putting the identical assignment again answers it unchanged
     * ({@code created} false); a different one under an existing id is a 409
     * {@code RoleAssignmentUpdateNotPermitted} (assignments are never edited, as in Azure).
     */
    public PutResult<RoleAssignment> putAssignment(RoleAssignment a) {
        Instant now = clock.instant();
        PutResult<RoleAssignment> result = db.inTransaction(c -> {
            Optional<RoleAssignment> existing = store.findAssignment(c, a.id());
            if (existing.isPresent()) {
                if (existing.get().equals(a)) {
                    return new PutResult<>(a, false);
                }
                throw RbacException.conflict("RoleAssignmentUpdateNotPermitted",
                        "Role assignment " + a.id() + " exists with a different role, principal, principal type or scope; "
                                + "assignments cannot be changed: delete it and create a new one.");
            }
            RoleDefinition role = BuiltInRoles.byId(a.roleDefinitionId()).isPresent()
                    ? BuiltInRoles.byId(a.roleDefinitionId()).get()
                    : store.findCustom(c, a.roleDefinitionId()).orElseThrow(() -> RbacException.invalid("RoleDefinitionDoesNotExist",
                    "The specified role definition with ID '" + a.roleDefinitionId() + "' does not exist."));
            if (!role.assignableAt(a.scope())) {
                throw RbacException.invalid("RoleNotAssignableAtScope", "The role '" + role.roleName() + "' can be assigned only at or under "
                        + String.join(", ", role.assignableScopes()) + "; not at '" + a.scope() + "'.");
            }
            Optional<RoleAssignment> same = store.findGrant(c, a.roleDefinitionId(), a.principalId(), a.scope());
            if (same.isPresent()) {
                throw RbacException.conflict("RoleAssignmentExists",
                        "The role assignment already exists. The ID of the existing role assignment is " + same.get().id() + ".");
            }
            store.insertAssignment(c, a, now);
            return new PutResult<>(a, true);
        });
        if (result.created()) {
            onChange.run();
        }
        return result;
    }

    /** The deleted assignment, or empty if there was none. */
    public Optional<RoleAssignment> deleteAssignment(String id) {
        String key = Guid.require(id, "InvalidRoleAssignmentId", "the role assignment id");
        Optional<RoleAssignment> deleted = db.inTransaction(c -> {
            Optional<RoleAssignment> a = store.findAssignment(c, key);
            if (a.isPresent()) {
                store.deleteAssignment(c, key);
            }
            return a;
        });
        if (deleted.isPresent()) {
            onChange.run();
        }
        return deleted;
    }

    /** Every role and assignment as one consistent policy (one read transaction). */
    public AccessPolicy loadPolicy() {
        return db.read(store::loadPolicy);
    }

    private static RbacException builtInImmutable(String id) {
        return RbacException.conflict("BuiltInRoleImmutable", "Role definition " + id + " is a built-in role; built-in roles cannot be "
                + "changed or deleted. Create a custom role instead.");
    }

    private static RbacException sameName(String name) {
        return RbacException.conflict("RoleDefinitionWithSameNameExists", "A role definition named '" + name + "' already exists.");
    }
}
