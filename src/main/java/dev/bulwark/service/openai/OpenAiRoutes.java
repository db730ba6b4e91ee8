package dev.bulwark.service.openai;

import dev.bulwark.service.DataPlaneRoute;

import java.util.ArrayList;
import java.util.List;

/**
 * Every OpenAI-compatible route: for each operation, Azure's deployments form, Azure's v1 form and
 * plain OpenAI's form; and the model list in both v1 forms.
 */
public final class OpenAiRoutes {
    private OpenAiRoutes() {
    }

    public static List<DataPlaneRoute> all(OpenAiProxy proxy) {
        List<DataPlaneRoute> routes = new ArrayList<>();
        for (OpenAiOperation op : OpenAiOperation.values()) {
            routes.add(new ProxyRoute(proxy, op, "/openai/deployments/{deployment}/" + op.upstreamPath(), ProxyRoute.DeploymentFrom.PATH));
            routes.add(new ProxyRoute(proxy, op, "/openai/v1/" + op.upstreamPath(), ProxyRoute.DeploymentFrom.BODY_MODEL));
            routes.add(new ProxyRoute(proxy, op, "/v1/" + op.upstreamPath(), ProxyRoute.DeploymentFrom.BODY_MODEL));
        }
        routes.add(new ModelsRoute("/openai/v1/models"));
        routes.add(new ModelsRoute("/v1/models"));
        return List.copyOf(routes);
    }
}
