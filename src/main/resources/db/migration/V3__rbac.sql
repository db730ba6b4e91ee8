-- Role-based access control. Built-in roles live in code (identity.rbac.BuiltInRoles) and are never
-- stored; only custom roles are. Assignments name a role by GUID, built-in or custom, so there is
-- no foreign key: RbacService checks the role inside the same write transaction.

CREATE TABLE role_definitions (
    id                      TEXT PRIMARY KEY,
    role_name               TEXT NOT NULL,
    role_name_key           TEXT NOT NULL UNIQUE,
    description             TEXT NOT NULL,
    permissions_json        TEXT NOT NULL,
    assignable_scopes_json  TEXT NOT NULL,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);

CREATE TABLE role_assignments (
    id                  TEXT PRIMARY KEY,
    role_definition_id  TEXT NOT NULL,
    principal_id        TEXT NOT NULL,
    principal_type      TEXT NOT NULL,
    scope               TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    UNIQUE (role_definition_id, principal_id, scope)
);

-- The unique index above also answers "is this role in use?" (its leading column).
CREATE INDEX role_assignments_by_principal ON role_assignments(principal_id);
CREATE INDEX role_assignments_by_scope ON role_assignments(scope);

-- Deleting an account deletes the role assignments at and under its scope, so that an account
-- created later under the same name does not inherit them. One line on purpose: the migration
-- runner splits statements at a ';' that ends a line.
CREATE TRIGGER role_assignments_follow_account AFTER DELETE ON accounts BEGIN DELETE FROM role_assignments WHERE scope = '/accounts/' || OLD.name OR substr(scope, 1, length(OLD.name) + 11) = '/accounts/' || OLD.name || '/'; END;
