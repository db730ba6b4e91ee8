package dev.bulwark.server;

import dev.bulwark.audit.AuditLog;
import dev.bulwark.audit.AuditRecord;
import dev.bulwark.identity.Principal;
import dev.bulwark.metrics.Metrics;
import dev.bulwark.vault.VaultApi;
import dev.bulwark.vault.VaultRequest;
import dev.bulwark.vault.VaultResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The built-in vault's REST paths ({@code /secrets}, {@code /keys}, {@code /deletedsecrets},
 * {@code /deletedkeys}), answered before the account pipeline: the vault belongs to no account. A
 * request without a credential the listener accepts gets Key Vault's 401 challenge
 * ({@code WWW-Authenticate: Bearer authorization="<issuer>", resource="<vault audience>"}) before its
 * body is read, which is how the Azure SDK learns where to get a token. The operation runs on a
 * worker thread; every call is audited (never a value).
 */
public final class VaultRoutes {
    private static final Logger LOG = Logger.getLogger(VaultRoutes.class.getName());
    /** Key Vault's limit on a request: a 25 KiB value, JSON-escaped, plus attributes and tags. */
    static final int MAX_BODY_BYTES = 200 * 1024;

    private final Vertx vertx;
    private final VaultApi api;
    private final AuditLog audit;
    private final Metrics metrics;
    private final String plane;
    private final String authority;
    private final VaultAudiences audiences;
    private volatile String baseUrl;
    private final Function<String, Principal> authenticator;

    /**
     * @param authenticator the listener's bearer check: the Authorization header -> principal, or null
     * @param authority     the token issuer's base the SDK should ask (its path's first segment is the "tenant")
     * @param audiences     the resource the challenge names (by the request's host)
     */
    VaultRoutes(Vertx vertx, VaultApi api, AuditLog audit, Metrics metrics, String plane, Function<String, Principal> authenticator,
                String authority, VaultAudiences audiences) {
        this.vertx = vertx;
        this.api = api;
        this.audit = audit;
        this.metrics = metrics;
        this.plane = plane;
        this.authenticator = authenticator;
        this.authority = authority;
        this.audiences = audiences;
    }

    /** Installed once the data plane listens: ids in answers start with the vault URL, which names its actual port. */
    void install(String vaultUrl) {
        this.baseUrl = vaultUrl;
    }

    public boolean handles(HttpServerRequest request) {
        return VaultApi.handles(request.path());
    }

    public void handle(HttpServerRequest request, String requestId, long start, String peer) {
        java.util.List<String> authorization = request.headers().getAll("Authorization");
        Principal principal = authorization.size() == 1 ? authenticator.apply(authorization.get(0)) : null;
        if (principal == null) {
            VaultResponse refused = new VaultResponse(401, "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"AKV10000: Request is missing "
                    + "a Bearer or PoP token.\"}}", "Authentication", "/vault");
            request.response().putHeader("WWW-Authenticate", "Bearer authorization=\"" + authority + "\", resource=\""
                    + audiences.resourceFor(request.authority() == null ? null : request.authority().toString()) + "\"");
            // The SDK sends its first request without a token (and without its body): nothing to read.
            if (!request.isEnded() && request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
                request.response().putHeader("Connection", "close");
            }
            record(refused, request, peer, requestId, "anonymous", start);
            send(request, refused, start);
            return;
        }
        String base = baseUrl;
        if (base == null) {
            send(request, new VaultResponse(503, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"starting\"}}",
                    "VaultRequest", "/vault"), start);
            return;
        }
        Map<String, String> query = new HashMap<>();
        request.params().forEach(e -> query.putIfAbsent(e.getKey(), e.getValue()));
        String method = request.method().name();
        String path = request.path();
        BodyReader.read(request, MAX_BODY_BYTES)
                .compose(body -> vertx.executeBlocking(() -> api.handle(new VaultRequest(method, path, query, body.getBytes(), principal, base)),
                        false))
                .onComplete(ar -> {
                    VaultResponse r;
                    if (ar.succeeded()) {
                        r = ar.result();
                    } else if (ar.cause() instanceof BodyReader.TooLarge) {
                        r = new VaultResponse(413, "{\"error\":{\"code\":\"BadParameter\",\"message\":\"The request body is larger than "
                                + MAX_BODY_BYTES + " bytes.\"}}", "VaultRequest", "/vault");
                    } else {
                        LOG.log(Level.SEVERE, "vault request " + requestId + " failed", ar.cause());
                        r = new VaultResponse(500, "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"Internal error. Request id: "
                                + requestId + "\"}}", "VaultRequest", "/vault");
                    }
                    record(r, request, peer, requestId, principal.describe(), start);
                    send(request, r, start);
                });
    }

    private void record(VaultResponse r, HttpServerRequest request, String peer, String requestId, String identity, long start) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("method", request.method().name());
        properties.put("path", request.path().length() <= 256 ? request.path() : request.path().substring(0, 256) + "...");
        properties.put("plane", plane);
        audit.append(new AuditRecord(Instant.now(), r.resource(), "Microsoft.KeyVault/vaults/" + r.operation(), AuditRecord.CATEGORY_AUDIT,
                r.status() < 400 ? AuditRecord.SUCCEEDED : AuditRecord.FAILED, Integer.toString(r.status()),
                (System.nanoTime() - start) / 1_000_000, peer, requestId, identity, properties));
    }

    private void send(HttpServerRequest request, VaultResponse r, long start) {
        metrics.request(plane, r.status(), System.nanoTime() - start);
        if (!r.body().isEmpty()) {
            request.response().putHeader("Content-Type", VaultApi.contentType());
        }
        request.response().putHeader("Cache-Control", "no-store");
        request.response().setStatusCode(r.status()).end(Buffer.buffer(r.body()));
    }
}
