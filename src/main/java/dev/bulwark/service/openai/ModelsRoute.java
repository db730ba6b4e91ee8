package dev.bulwark.service.openai;

import dev.bulwark.account.AccountKind;
import dev.bulwark.identity.rbac.Actions;
import dev.bulwark.service.EventLoopRoute;
import dev.bulwark.service.Exchange;
import dev.bulwark.snapshot.DeploymentView;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /v1/models} (and Azure's {@code /openai/v1/models}): the account's deployments, as the
 * models an OpenAI client may name. Answered from the snapshot; the upstreams are not asked.
 */
final class ModelsRoute implements EventLoopRoute {
    private final String path;

    ModelsRoute(String path) {
        this.path = path;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Set<AccountKind> kinds() {
        return ProxyRoute.KINDS;
    }

    @Override
    public String dataAction() {
        return Actions.OPENAI_MODELS_READ;
    }

    @Override
    public String operationName() {
        return "Models_List";
    }

    @Override
    public void serve(Exchange exchange) {
        var c = exchange.context();
        StringBuilder json = new StringBuilder("{\"object\":\"list\",\"data\":[");
        boolean first = true;
        for (DeploymentView d : new TreeMap<>(c.snapshot().deployments(c.account().name())).values()) {
            json.append(first ? "" : ",").append("{\"id\":\"").append(OpenAiErrors.escape(d.name()))
                    .append("\",\"object\":\"model\",\"created\":0,\"owned_by\":\"").append(OpenAiErrors.escape(c.account().name()))
                    .append("\"}");
            first = false;
        }
        json.append("]}");
        exchange.request().response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(json.toString());
        exchange.finished().accept(200);
    }
}
