package dev.bulwark.server;

import dev.bulwark.audit.AuditLog;
import dev.bulwark.audit.AuditRecord;
import dev.bulwark.metrics.Metrics;
import dev.bulwark.pipeline.Pipeline;
import dev.bulwark.pipeline.NetworkRuleStage;
import dev.bulwark.pipeline.Rejection;
import dev.bulwark.pipeline.RequestContext;
import dev.bulwark.pipeline.StageResult;
import dev.bulwark.service.DataPlaneRoute;
import dev.bulwark.service.EventLoopRoute;
import dev.bulwark.service.Exchange;
import dev.bulwark.service.WorkerRoute;
import dev.bulwark.service.ServiceRequest;
import dev.bulwark.service.ServiceResponse;
import dev.bulwark.snapshot.SnapshotHolder;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The data-plane request handler: security pipeline on the event loop (snapshot reads only), then
 * the body (size-limited) and the service on a worker thread, then audit and metrics.
 */
final class DataPlane implements Handler<HttpServerRequest> {
    private static final Logger LOG = Logger.getLogger(DataPlane.class.getName());
    private static final String PLANE = "data";

    private final Vertx vertx;
    private final Pipeline pipeline;
    private final SnapshotHolder snapshots;
    private final AuditLog audit;
    private final Metrics metrics;
    private final int maxBodyBytes;
    private final TokenDiscovery discovery;
    private final WorkloadTokenRoutes workloadTokens;
    private final DataListener listener;
    private final VaultRoutes vault;
    private final dev.bulwark.pipeline.ClientAddressStage clientAddress;

    DataPlane(Vertx vertx, Pipeline pipeline, SnapshotHolder snapshots,
              AuditLog audit, Metrics metrics, int maxBodyBytes, TokenDiscovery discovery, WorkloadTokenRoutes workloadTokens,
              VaultRoutes vault, dev.bulwark.pipeline.ClientAddressStage clientAddress) {
        this(vertx, pipeline, snapshots, audit, metrics, maxBodyBytes, discovery, workloadTokens, vault, clientAddress, DataListener.PUBLIC);
    }

    private DataPlane(Vertx vertx, Pipeline pipeline, SnapshotHolder snapshots, AuditLog audit, Metrics metrics, int maxBodyBytes,
                      TokenDiscovery discovery, WorkloadTokenRoutes workloadTokens, VaultRoutes vault,
                      dev.bulwark.pipeline.ClientAddressStage clientAddress, DataListener listener) {
        this.vault = vault;
        this.clientAddress = clientAddress;
        this.listener = listener;
        this.vertx = vertx;
        this.pipeline = pipeline;
        this.snapshots = snapshots;
        this.audit = audit;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.discovery = discovery;
        this.workloadTokens = workloadTokens;
    }

    /** The same handler for another listener (same pipeline, snapshot, audit and metrics). */
    DataPlane forListener(DataListener other) {
        return new DataPlane(vertx, pipeline, snapshots, audit, metrics, maxBodyBytes, discovery, workloadTokens, vault, clientAddress, other);
    }

    @Override
    public void handle(HttpServerRequest request) {
        long start = System.nanoTime();
        String requestId = RequestIds.next();
        HttpServerResponse response = request.response();
        SecurityHeaders.apply(response.headers());
        response.headers().set("apim-request-id", requestId);
        if (discovery.handle(request)) {
            metrics.request(PLANE, response.getStatusCode(), System.nanoTime() - start);
            return;
        }
        // Workload token endpoints belong to no account and authenticate the client themselves.
        if (workloadTokens.handles(request)) {
            workloadTokens.handle(request, requestId, start);
            return;
        }
        // The built-in vault belongs to no account and answers its own Key Vault challenge.
        if (vault.handles(request)) {
            vault.handle(request, requestId, start, clientAddress.decide(new VertxRequestHead(request, listener)));
            return;
        }

        RequestContext initial = RequestContext.start(requestId, new VertxRequestHead(request, listener), snapshots.current());
        StageResult verdict = pipeline.run(initial);
        if (verdict instanceof StageResult.Reject reject) {
            refuse(request, reject, start);
            return;
        }
        RequestContext context = ((StageResult.Next) verdict).context();
        if (context.route() == null) {
            throw new IllegalStateException("the pipeline passed a request without a route");
        }
        switch (context.route()) {
            case WorkerRoute r -> serve(request, context, r, start);
            case EventLoopRoute r -> serve(request, context, r, start);
        }
    }

    private void serve(HttpServerRequest request, RequestContext context, EventLoopRoute route, long start) {
        BodyReader.read(request, maxBodyBytes).onComplete(ar -> {
            if (ar.succeeded()) {
                route.serve(new Exchange(request, context, ar.result(),
                        status -> metrics.request(PLANE, status, System.nanoTime() - start)));
            } else {
                bodyFailed(request, context, route, ar.cause(), start);
            }
        });
    }

    private void serve(HttpServerRequest request, RequestContext context, WorkerRoute route, long start) {
        BodyReader.read(request, maxBodyBytes)
                .compose(body -> vertx.executeBlocking(() -> route.handle(new ServiceRequest(context.requestId(),
                        context.account(), context.principal(), request::getParam, request::getHeader, body.getBytes())), false))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        ServiceResponse r = ar.result();
                        request.response().putHeader("Content-Type", r.contentType());
                        end(request, r.status(), Buffer.buffer(r.body()), start);
                    } else {
                        bodyFailed(request, context, route, ar.cause(), start);
                    }
                });
    }

    private void bodyFailed(HttpServerRequest request, RequestContext context, DataPlaneRoute route, Throwable cause, long start) {
        if (cause instanceof BodyReader.TooLarge) {
            // Stop reading the rest: close once the answer is out.
            closeAfterResponse(request);
            finish(request, 413, "{\"error\":{\"code\":\"413\",\"message\":\"The request body is larger than the limit of "
                    + maxBodyBytes + " bytes.\"}}", start);
            if (request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
                request.connection().close();
            }
        } else if (request.response().closed()) {
            // The client went away while sending its body: nobody to answer.
            metrics.request(PLANE, 499, System.nanoTime() - start);
        } else {
            LOG.log(Level.WARNING, "request " + context.requestId() + " to " + route.operationName() + " failed", cause);
            finish(request, 500, "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"Internal error. Request id: "
                    + context.requestId() + "\"}}", start);
        }
    }

    private void refuse(HttpServerRequest request, StageResult.Reject reject, long start) {
        Rejection r = reject.rejection();
        metrics.rejection(reject.stage());
        if (r.audited()) {
            RequestContext c = reject.context();
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("stage", reject.stage());
            properties.put("reason", r.reason());
            properties.put("method", request.method().name());
            properties.put("path", truncate(request.path(), 256));
            audit.append(new AuditRecord(Instant.now(),
                    c.account() != null ? c.account().resourceId() : "/",
                    operationName(reject.stage(), r.status()), "Audit", "Failed", Integer.toString(r.status()),
                    (System.nanoTime() - start) / 1_000_000,
                    c.clientAddress() != null ? c.clientAddress() : c.head().peerAddress(),
                    c.requestId(), c.principal() != null ? c.principal().describe() : "anonymous", properties));
        }
        if (!request.isEnded()) {
            // The body of a refused request is never read: don't keep the connection for it.
            closeAfterResponse(request);
        }
        request.response().putHeader("Content-Type", "application/json; charset=utf-8");
        end(request, r.status(), Buffer.buffer(r.body()), start);
    }

    /** The audit operation of a refusal: which check refused it. */
    static String operationName(String stage, int status) {
        if (NetworkRuleStage.NAME.equals(stage)) {
            return "DataPlane/NetworkRules";
        }
        if (dev.bulwark.pipeline.CustomerKeyStage.NAME.equals(stage)) {
            return "DataPlane/CustomerManagedKey";
        }
        return status == 403 ? "DataPlane/Authorize" : "DataPlane/Authenticate";
    }

    private static void closeAfterResponse(HttpServerRequest request) {
        if (request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            request.response().putHeader("Connection", "close");
        }
    }

    private void finish(HttpServerRequest request, int status, String json, long start) {
        request.response().putHeader("Content-Type", "application/json; charset=utf-8");
        end(request, status, Buffer.buffer(json.getBytes(StandardCharsets.UTF_8)), start);
    }

    private void end(HttpServerRequest request, int status, Buffer body, long start) {
        metrics.request(PLANE, status, System.nanoTime() - start);
        request.response().setStatusCode(status).end(body);
    }

    private static String truncate(String s, int max) {
        return s == null ? null : s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
