package dev.bulwark.identity.rbac;

import com.sun.management.ThreadMXBean;
import dev.bulwark.identity.Principal;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static dev.bulwark.identity.rbac.Roles.assign;
import static dev.bulwark.identity.rbac.Roles.custom;
import static dev.bulwark.identity.rbac.Roles.key;
import static dev.bulwark.identity.rbac.Roles.policy;
import static dev.bulwark.identity.rbac.Roles.user;
import static dev.bulwark.identity.rbac.Roles.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The per-request checks allocate nothing (measured with the JVM's per-thread allocation counter). */
class AccessPolicyAllocationTest {
    private static final int CALLS = 200_000;

    @Test
    void checkingAllocatesNothingPerCall() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);

        RoleDefinition glob = custom("Glob", List.of("Microsoft.CognitiveServices/*/deployments/*/read"), List.of("*/listKeys/action"),
                List.of("Microsoft.CognitiveServices/accounts/*/action"), List.of("*/embeddings/action"));
        List<RoleAssignment> as = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            as.add(assign(BuiltInRoles.READER, "g" + i, PrincipalType.Group, "/accounts/acct" + i));
            as.add(assign(glob, "u" + i, PrincipalType.User, "/accounts/acct" + i));
        }
        as.add(assign(BuiltInRoles.COGNITIVE_SERVICES_USER, "wl", PrincipalType.ServicePrincipal, "/"));
        AccessPolicy p = policy(List.of(glob), as.toArray(new RoleAssignment[0]));
        Principal direct = user("u42");
        Principal member = user("nobody", "g7", "g42", "g99", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
                "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25");
        Principal wl = workload("wl");
        Principal k = key("acct42");
        Principal admin = new Principal.BootstrapAdmin();
        String scope = "/accounts/acct42/deployments/gpt";

        int allowed = 0;
        for (int round = 0; round < 2; round++) {
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < CALLS; i++) {
                if (p.permitsDataAction(direct, scope, Actions.OPENAI_CHAT_COMPLETIONS)) allowed++;
                if (p.permitsDataAction(direct, scope, Actions.OPENAI_EMBEDDINGS)) allowed++;
                if (p.permitsAction(member, scope, Actions.ACCOUNTS_READ)) allowed++;
                if (p.permitsAction(member, "/accounts/acct43", Actions.ACCOUNTS_READ)) allowed++;
                if (p.permitsDataAction(wl, scope, Actions.LANGUAGE_ANALYZE_TEXT)) allowed++;
                if (p.permitsDataAction(k, scope, Actions.LANGUAGE_ANALYZE_TEXT)) allowed++;
                if (p.permitsAction(admin, scope, Actions.ROLE_ASSIGNMENTS_WRITE)) allowed++;
            }
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            if (round == 1) {
                // Seven checks per iteration: even 8 bytes each would be 11 MB. Allow a few KB of measurement noise.
                assertThat(allocated).isLessThan(16 * 1024);
            }
        }
        assertThat(allowed).isEqualTo(2 * CALLS * 5);
    }
}
