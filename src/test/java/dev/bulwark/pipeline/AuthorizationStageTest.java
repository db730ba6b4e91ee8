package dev.bulwark.pipeline;

import dev.bulwark.account.AccountKind;
import dev.bulwark.account.KeyName;
import dev.bulwark.identity.Principal;
import dev.bulwark.service.DataPlaneRoute;
import dev.bulwark.service.WorkerRoute;
import dev.bulwark.service.ServiceRequest;
import dev.bulwark.service.ServiceResponse;
import dev.bulwark.snapshot.AccessRules;
import dev.bulwark.snapshot.AccountView;
import dev.bulwark.snapshot.Snapshot;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AuthorizationStageTest {
    private static final DataPlaneRoute ROUTE = new WorkerRoute() {
        public String method() { return "POST"; }
        public String path() { return "/language/:analyze-text"; }
        public Set<AccountKind> kinds() { return Set.of(AccountKind.TextAnalytics); }
        public String dataAction() { return "Microsoft.CognitiveServices/accounts/Language/analyze-text/action"; }
        public String operationName() { return "Analyze"; }
        public ServiceResponse handle(ServiceRequest r) { return ServiceResponse.json(200, "{}"); }
    };
    private final AccountView alice = AccountView.of("alice", AccountKind.TextAnalytics, false);
    private final AccountView alicia = AccountView.of("alicia", AccountKind.TextAnalytics, false);

    private StageResult run(AccessRules rules, AccountView account, Principal p) {
        Snapshot s = new Snapshot(1, Map.of("alice", alice, "alicia", alicia), Map.of(), rules);
        return new AuthorizationStage().apply(RequestContext.start("r", FakeHead.post("/"), s)
                .withAccount(account, "/language/:analyze-text").withPrincipal(p).withRoute(ROUTE));
    }

    @Test
    void aKeyMayCallItsOwnAccountOnly() {
        Principal key = new Principal.AccountKey("alice", KeyName.KEY1);
        assertThat(run(AccessRules.KEYS_AND_BOOTSTRAP_ONLY, alice, key)).isInstanceOf(StageResult.Next.class);
        assertThat(run(AccessRules.KEYS_AND_BOOTSTRAP_ONLY, alicia, key)).isInstanceOf(StageResult.Reject.class);
    }

    @Test
    void anIdentityWithoutTheDataActionGetsAzures403() {
        Principal user = new Principal.User("https://idp", "u-1", Set.of(), "U");
        StageResult r = run(AccessRules.KEYS_AND_BOOTSTRAP_ONLY, alice, user);
        Rejection rej = ((StageResult.Reject) r).rejection();
        assertThat(rej.status()).isEqualTo(403);
        assertThat(new String(rej.body())).startsWith("{\"error\":{\"code\":\"PermissionDenied\"")
                .contains("lacks the required data action `Microsoft.CognitiveServices/accounts/Language/analyze-text/action`");
        assertThat(rej.audited()).isTrue();
    }

    @Test
    void theBootstrapAdministratorHasNoDataActions() {
        assertThat(run(AccessRules.KEYS_AND_BOOTSTRAP_ONLY, alice, new Principal.BootstrapAdmin())).isInstanceOf(StageResult.Reject.class);
    }

    @Test
    void theSnapshotsRulesDecide() {
        AccessRules allowAll = new AccessRules() {
            public boolean permitsAction(Principal p, String scope, String action) { return false; }
            public boolean permitsDataAction(Principal p, String scope, String action) { return scope.equals("/accounts/alice"); }
        };
        Principal user = new Principal.User("https://idp", "u-1", Set.of(), "U");
        assertThat(run(allowAll, alice, user)).isInstanceOf(StageResult.Next.class);
        assertThat(run(allowAll, alicia, user)).isInstanceOf(StageResult.Reject.class);
    }
}
