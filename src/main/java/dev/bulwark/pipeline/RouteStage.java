package dev.bulwark.pipeline;

import dev.bulwark.service.DataPlaneRoute;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Route resolution: which service operation the request is for, so that authorisation can check
 * its data action. Exact path matches only, no patterns. Unknown path (or an operation the
 * account's kind does not offer) -> 404; known path, wrong method -> 405.
 */
public final class RouteStage implements Stage {
    private final Map<String, List<DataPlaneRoute>> byPath = new HashMap<>();

    public RouteStage(List<DataPlaneRoute> routes) {
        for (DataPlaneRoute r : routes) {
            for (String p : new String[] {r.path(), r.path().replace(":", "%3A"), r.path().replace(":", "%3a")}) {
                // Some clients percent-encode the ':' of Azure's ':action' paths.
                List<DataPlaneRoute> list = byPath.computeIfAbsent(p, k -> new ArrayList<>());
                if (!list.contains(r)) {
                    list.add(r);
                }
            }
        }
    }

    @Override
    public String name() {
        return "route";
    }

    @Override
    public StageResult apply(RequestContext c) {
        List<DataPlaneRoute> candidates = byPath.get(c.servicePath());
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
}
