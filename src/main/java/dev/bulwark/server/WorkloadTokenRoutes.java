package dev.bulwark.server;

import dev.bulwark.audit.AuditLog;
import dev.bulwark.audit.AuditRecord;
import dev.bulwark.identity.workload.ClientCredentialsEndpoint;
import dev.bulwark.identity.workload.EndpointResponse;
import dev.bulwark.identity.workload.ManagedIdentityEndpoint;
import dev.bulwark.metrics.Metrics;
import dev.bulwark.pipeline.ClientAddressStage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The workload token endpoints on the data plane, answered before the account pipeline (they belong
 * to no account and authenticate the client themselves): {@code POST /oauth2/v2.0/token} (client
 * credentials) and {@code GET /msi/token} (the App Service managed-identity protocol). The endpoint
 * runs on a worker thread; every answer, issued or refused, is audited.
 */
final class WorkloadTokenRoutes {
    private static final Logger LOG = Logger.getLogger(WorkloadTokenRoutes.class.getName());
    static final String OPERATION = "Bulwark/identities/token/action";

    private final Vertx vertx;
    private final AuditLog audit;
    private final Metrics metrics;
    private final ClientAddressStage clientAddress;
    private volatile ClientCredentialsEndpoint clientCredentials;
    private volatile ManagedIdentityEndpoint managedIdentity;

    /** @param clientAddress decides the caller's address for the audit records, as for the account pipeline */
    WorkloadTokenRoutes(Vertx vertx, AuditLog audit, Metrics metrics, ClientAddressStage clientAddress) {
        this.vertx = vertx;
        this.audit = audit;
        this.metrics = metrics;
        this.clientAddress = clientAddress;
    }

    /** Installed once the data plane listens: the accepted assertion audience names its actual port. */
    void install(ClientCredentialsEndpoint clientCredentials, ManagedIdentityEndpoint managedIdentity) {
        this.clientCredentials = clientCredentials;
        this.managedIdentity = managedIdentity;
    }

    boolean handles(HttpServerRequest request) {
        String p = request.path();
        return ClientCredentialsEndpoint.PATH.equals(p) || ManagedIdentityEndpoint.SUGGESTED_PATH.equals(p);
    }

    void handle(HttpServerRequest request, String requestId, long start) {
        ClientCredentialsEndpoint cc = clientCredentials;
        ManagedIdentityEndpoint mi = managedIdentity;
        if (cc == null || mi == null) {
            send(request, 503, Map.of("Content-Type", "application/json; charset=utf-8"),
                    "{\"error\":\"temporarily_unavailable\",\"error_description\":\"starting\"}", start);
            return;
        }
        Future<EndpointResponse> answer;
        if (ClientCredentialsEndpoint.PATH.equals(request.path())) {
            if (request.method() != io.vertx.core.http.HttpMethod.POST) {
                send(request, 405, Map.of("Allow", "POST", "Content-Type", "application/json; charset=utf-8"),
                        "{\"error\":\"invalid_request\",\"error_description\":\"use POST\"}", start);
                return;
            }
            List<String> authorization = request.headers().getAll("Authorization");
            if (authorization.size() > 1) {
                send(request, 400, Map.of("Content-Type", "application/json; charset=utf-8", "Cache-Control", "no-store"),
                        "{\"error\":\"invalid_request\",\"error_description\":\"send one Authorization header\"}", start);
                return;
            }
            String auth = authorization.isEmpty() ? null : authorization.get(0);
            String contentType = request.getHeader("Content-Type");
            answer = BodyReader.read(request, ClientCredentialsEndpoint.MAX_BODY_BYTES)
                    .compose(body -> vertx.executeBlocking(() -> cc.handle(auth, contentType, body.getBytes()), false));
        } else {
            String method = request.method().name();
            String query = request.query();
            List<String> identityHeader = request.headers().getAll(ManagedIdentityEndpoint.IDENTITY_HEADER);
            answer = vertx.executeBlocking(() -> mi.handle(method, query, identityHeader), false);
        }
        String peer = clientAddress.decide(new VertxRequestHead(request, DataListener.PUBLIC));
        answer.onComplete(ar -> {
            if (ar.succeeded()) {
                EndpointResponse r = ar.result();
                record(r, request.path(), peer, requestId, start);
                send(request, r.status(), r.headers(), r.body(), start);
            } else if (ar.cause() instanceof BodyReader.TooLarge) {
                send(request, 413, Map.of("Content-Type", "application/json; charset=utf-8"),
                        "{\"error\":\"invalid_request\",\"error_description\":\"the body is too large\"}", start);
            } else {
                LOG.log(Level.SEVERE, "token request " + requestId + " failed", ar.cause());
                send(request, 500, Map.of("Content-Type", "application/json; charset=utf-8"),
                        "{\"error\":\"server_error\",\"error_description\":\"internal error; request id " + requestId + "\"}", start);
            }
        });
    }

    private void record(EndpointResponse r, String path, String peer, String requestId, long start) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("endpoint", path);
        properties.put("reason", r.auditReason());
        audit.append(new AuditRecord(Instant.now(),
                r.principal().map(p -> "/identities/" + p.name()).orElse("/identities"),
                OPERATION, AuditRecord.CATEGORY_AUDIT, r.succeeded() ? AuditRecord.SUCCEEDED : AuditRecord.FAILED,
                Integer.toString(r.status()), (System.nanoTime() - start) / 1_000_000, peer, requestId,
                r.principal().map(p -> p.describe()).orElse("anonymous"), properties));
    }

    private void send(HttpServerRequest request, int status, Map<String, String> headers, String body, long start) {
        metrics.request("data", status, System.nanoTime() - start);
        headers.forEach((k, v) -> request.response().putHeader(k, v));
        request.response().setStatusCode(status).end(Buffer.buffer(body));
    }
}
