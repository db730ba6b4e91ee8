package dev.bulwark.server;

import dev.bulwark.service.DataPlaneRoute;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Finds the data-plane route for a service path. Exact matches only: no patterns, no decoding tricks. */
final class ServiceRouter {
    private final Map<String, List<DataPlaneRoute>> byPath = new HashMap<>();

    ServiceRouter(List<DataPlaneRoute> routes) {
        for (DataPlaneRoute r : routes) {
            byPath.computeIfAbsent(r.path(), k -> new java.util.ArrayList<>()).add(r);
            // Some clients percent-encode the ':' of Azure's ':action' paths.
            byPath.computeIfAbsent(r.path().replace(":", "%3A"), k -> new java.util.ArrayList<>()).add(r);
            byPath.computeIfAbsent(r.path().replace(":", "%3a"), k -> new java.util.ArrayList<>()).add(r);
        }
    }

    sealed interface Match {
        record Found(DataPlaneRoute route) implements Match {
        }

        record WrongMethod(String allowed) implements Match {
        }

        record NotFound() implements Match {
        }
    }

    Match find(String method, String path) {
        List<DataPlaneRoute> candidates = byPath.get(path);
        if (candidates == null) {
            return new Match.NotFound();
        }
        for (DataPlaneRoute r : candidates) {
            if (r.method().equals(method.toUpperCase(Locale.ROOT))) {
                return new Match.Found(r);
            }
        }
        return new Match.WrongMethod(candidates.get(0).method());
    }
}
