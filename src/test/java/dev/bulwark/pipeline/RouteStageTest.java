package dev.bulwark.pipeline;

import dev.bulwark.account.AccountKind;
import dev.bulwark.service.DataPlaneRoute;
import dev.bulwark.service.WorkerRoute;
import dev.bulwark.service.ServiceRequest;
import dev.bulwark.service.ServiceResponse;
import dev.bulwark.snapshot.AccountView;
import dev.bulwark.snapshot.Snapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RouteStageTest {
    private static final DataPlaneRoute ANALYZE = new WorkerRoute() {
        public String method() { return "POST"; }
        public String path() { return "/language/:analyze-text"; }
        public Set<AccountKind> kinds() { return Set.of(AccountKind.TextAnalytics); }
        public String dataAction() { return "x/analyze/action"; }
        public String operationName() { return "Analyze"; }
        public ServiceResponse handle(ServiceRequest r) { return ServiceResponse.json(200, "{}"); }
    };
    private final RouteStage stage = new RouteStage(List.of(ANALYZE));

    private StageResult run(String method, String path, AccountKind kind) {
        AccountView a = AccountView.of("a", kind, false);
        FakeHead head = new FakeHead(method, "/accounts/a" + path, "localhost", List.of(), "192.0.2.1", Map.of());
        return stage.apply(RequestContext.start("r", head, new Snapshot(1, Map.of("a", a), Map.of())).withAccount(a, path));
    }

    @Test
    void exactPathAndMethodFindTheRoute() {
        assertThat(((StageResult.Next) run("POST", "/language/:analyze-text", AccountKind.TextAnalytics)).context().route()).isSameAs(ANALYZE);
        assertThat(((StageResult.Next) run("POST", "/language/%3Aanalyze-text", AccountKind.TextAnalytics)).context().route()).isSameAs(ANALYZE);
    }

    @Test
    void anythingElseIsRefused() {
        assertThat(((StageResult.Reject) run("GET", "/language/:analyze-text", AccountKind.TextAnalytics)).rejection().status()).isEqualTo(405);
        assertThat(((StageResult.Reject) run("POST", "/language/:analyze-text/", AccountKind.TextAnalytics)).rejection().status()).isEqualTo(404);
        assertThat(((StageResult.Reject) run("POST", "/LANGUAGE/:analyze-text", AccountKind.TextAnalytics)).rejection().status()).isEqualTo(404);
        assertThat(((StageResult.Reject) run("POST", "/language/../language/:analyze-text", AccountKind.TextAnalytics)).rejection().status()).isEqualTo(404);
        assertThat(((StageResult.Reject) run("POST", "/language/:analyze-text", AccountKind.OpenAI)).rejection().status()).isEqualTo(404);
    }
}
