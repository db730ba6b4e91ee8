package dev.bulwark.pipeline;

import dev.bulwark.service.DataPlaneRoute;
import dev.bulwark.service.PathTemplate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Route resolution: which service operation the request is for, so that authorisation can check
 * its data action. Exact paths are one map lookup; paths with variable segments
 * ({@code /openai/deployments/{deployment}/...}, see {@link PathTemplate}) are tried in order after
 * that. Unknown path (or an operation the account's kind does not offer) -> 404; known path, wrong
 * method -> 405.
 */
public final class RouteStage implements Stage {
    private final Map<String, List<DataPlaneRoute>> byPath = new HashMap<>();
    private final List<Map.Entry<PathTemplate, List<DataPlaneRoute>>> templates = new ArrayList<>();

    public RouteStage(List<DataPlaneRoute> routes) {
        Map<String, List<DataPlaneRoute>> byTemplate = new java.util.LinkedHashMap<>();
        for (DataPlaneRoute r : routes) {
            if (PathTemplate.isTemplate(r.path())) {
                byTemplate.computeIfAbsent(r.path(), k -> new ArrayList<>()).add(r);
                continue;
            }
            for (String p : new String[] {r.path(), r.path().replace(":", "%3A"), r.path().replace(":", "%3a")}) {
                // Some clients percent-encode the ':' of Azure's ':action' paths.
                List<DataPlaneRoute> list = byPath.computeIfAbsent(p, k -> new ArrayList<>());
                if (!list.contains(r)) {
                    list.add(r);
                }
            }
        }
        byTemplate.forEach((path, list) -> templates.add(Map.entry(new PathTemplate(path), List.copyOf(list))));
    }

    @Override
    public String name() {
        return "route";
    }

    @Override
    public StageResult apply(RequestContext c) {
        List<DataPlaneRoute> candidates = byPath.get(c.servicePath());
        if (candidates == null) {
            candidates = templateMatch(c.servicePath());
        }
        if (candidates == null) {
            return StageResult.reject(Rejection.notFound(), c);
        }
        String method = c.head().method().toUpperCase(Locale.ROOT);
        for (DataPlaneRoute r : candidates) {
            if (r.method().equals(method)) {
                if (!r.kinds().contains(c.account().kind())) {
                    return StageResult.reject(Rejection.notFound(), c);
                }
                return StageResult.next(c.withRoute(r));
            }
        }
        return StageResult.reject(new Rejection(405, ("{\"error\":{\"code\":\"405\",\"message\":\"Method not allowed. Allowed: "
                + candidates.get(0).method() + "\"}}").getBytes(StandardCharsets.UTF_8), "method not allowed", false), c);
    }

    private List<DataPlaneRoute> templateMatch(String path) {
        for (int i = 0; i < templates.size(); i++) {
            Map.Entry<PathTemplate, List<DataPlaneRoute>> t = templates.get(i);
            if (t.getKey().matches(path)) {
                return t.getValue();
            }
        }
        return null;
    }
}
