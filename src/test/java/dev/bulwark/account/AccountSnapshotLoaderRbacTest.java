package dev.bulwark.account;

import dev.bulwark.identity.Principal;
import dev.bulwark.identity.rbac.Actions;
import dev.bulwark.identity.rbac.BuiltInRoles;
import dev.bulwark.identity.rbac.PrincipalType;
import dev.bulwark.identity.rbac.RbacService;
import dev.bulwark.identity.rbac.RoleAssignment;
import dev.bulwark.snapshot.SnapshotHolder;
import dev.bulwark.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The snapshot carries the access policy, and a role change swaps it before the call returns. Needs the wiring. */
class AccountSnapshotLoaderRbacTest {
    @TempDir
    Path dir;

    @Test
    void anAssignmentAppliesInTheVeryNextSnapshotAndItsRemovalToo() {
        try (Database db = Database.openSqlite(dir.resolve("b.db"))) {
            SnapshotHolder snapshots = new SnapshotHolder(new AccountSnapshotLoader(db));
            snapshots.refresh();
            RbacService rbac = new RbacService(db, Clock.systemUTC(), snapshots::refresh);
            Principal dev = new Principal.User("https://idp", "dev", Set.of(), "dev");

            assertThat(snapshots.current().access().permitsDataAction(dev, "/accounts/alpha", Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
            RoleAssignment a = rbac.putAssignment(new RoleAssignment(UUID.randomUUID().toString(),
                    BuiltInRoles.COGNITIVE_SERVICES_USER.id(), "dev", PrincipalType.User, "/accounts/alpha")).value();
            assertThat(snapshots.current().access().permitsDataAction(dev, "/accounts/alpha", Actions.LANGUAGE_ANALYZE_TEXT)).isTrue();
            assertThat(snapshots.current().access().permitsAction(dev, "/accounts/alpha", Actions.ACCOUNTS_LIST_KEYS)).isTrue();
            rbac.deleteAssignment(a.id());
            assertThat(snapshots.current().access().permitsDataAction(dev, "/accounts/alpha", Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
        }
    }
}
