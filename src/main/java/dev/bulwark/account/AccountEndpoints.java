package dev.bulwark.account;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where an account is reached on the data plane: always {@code https://<host>:<port>/accounts/<name>/};
 * with a base domain also {@code https://<name>.<base-domain>:<port>/}, which then becomes the
 * primary endpoint because it is the shape Azure clients expect.
 */
public record AccountEndpoints(String publicHost, int port, Optional<String> baseDomain) {

    public String primary(String account) {
        return baseDomain.map(d -> subdomain(account, d)).orElseGet(() -> path(account));
    }

    public Map<String, String> all(String account) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("path", path(account));
        baseDomain.ifPresent(d -> m.put("subdomain", subdomain(account, d)));
        return m;
    }

    private String path(String account) {
        return "https://" + hostPort(publicHost) + "/accounts/" + account + "/";
    }

    private String subdomain(String account, String domain) {
        return "https://" + hostPort(account + "." + domain) + "/";
    }

    private String hostPort(String host) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return port == 443 ? h : h + ":" + port;
    }
}
