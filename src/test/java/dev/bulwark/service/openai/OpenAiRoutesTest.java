package dev.bulwark.service.openai;

import dev.bulwark.account.AccountKind;
import dev.bulwark.identity.rbac.Actions;
import dev.bulwark.service.DataPlaneRoute;
import dev.bulwark.service.UrlField;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What each OpenAI route declares: its path, its RBAC data action and the body fields that carry URLs. */
class OpenAiRoutesTest {
    private final List<DataPlaneRoute> routes = OpenAiRoutes.all(null);

    @Test
    void everyFormOfEveryOperationDeclaresAzuresDataAction() {
        Map<String, String> actionByPath = routes.stream().collect(Collectors.toMap(DataPlaneRoute::path, DataPlaneRoute::dataAction));
        assertThat(actionByPath).containsOnly(
                Map.entry("/openai/deployments/{deployment}/chat/completions", Actions.OPENAI_CHAT_COMPLETIONS),
                Map.entry("/openai/v1/chat/completions", Actions.OPENAI_CHAT_COMPLETIONS),
                Map.entry("/v1/chat/completions", Actions.OPENAI_CHAT_COMPLETIONS),
                Map.entry("/openai/deployments/{deployment}/completions", Actions.OPENAI_COMPLETIONS),
                Map.entry("/openai/v1/completions", Actions.OPENAI_COMPLETIONS),
                Map.entry("/v1/completions", Actions.OPENAI_COMPLETIONS),
                Map.entry("/openai/deployments/{deployment}/embeddings", Actions.OPENAI_EMBEDDINGS),
                Map.entry("/openai/v1/embeddings", Actions.OPENAI_EMBEDDINGS),
                Map.entry("/v1/embeddings", Actions.OPENAI_EMBEDDINGS),
                Map.entry("/openai/v1/models", Actions.OPENAI_MODELS_READ),
                Map.entry("/v1/models", Actions.OPENAI_MODELS_READ));
    }

    @Test
    void onlyOpenAiAccountsOfferThem() {
        assertThat(routes).allSatisfy(r -> assertThat(r.kinds()).containsExactlyInAnyOrder(AccountKind.OpenAI, AccountKind.AIServices));
    }

    @Test
    void chatRoutesDeclareTheirUrlFieldsForDataLossPrevention() {
        for (DataPlaneRoute r : routes) {
            List<String> fields = r.urlFields().stream().map(UrlField::path).toList();
            if (r.path().endsWith("/chat/completions")) {
                assertThat(fields).contains("messages[].content[].image_url.url");
            } else {
                assertThat(fields).as(r.path()).isEmpty();
            }
        }
    }
}
