package dev.bulwark.service.openai;

import dev.bulwark.account.AccountKind;
import dev.bulwark.audit.AuditRecord;
import dev.bulwark.dlp.DlpCheck;
import dev.bulwark.dlp.DlpViolation;
import dev.bulwark.pipeline.RequestContext;
import dev.bulwark.service.EventLoopRoute;
import dev.bulwark.service.Exchange;
import dev.bulwark.service.PathTemplate;
import dev.bulwark.service.UrlField;
import dev.bulwark.snapshot.DeploymentView;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One OpenAI operation at one path: Azure's {@code /openai/deployments/{deployment}/...} (the
 * deployment in the path, {@code api-version} required), Azure's v1 {@code /openai/v1/...} or plain
 * OpenAI's {@code /v1/...} (the deployment in the body's {@code model}). Finds the deployment,
 * applies its quota, inlines remote images when the deployment asks for it ({@link ImageInliner}),
 * rewrites the body for the upstream and hands over to a {@link ProxyCall}.
 */
final class ProxyRoute implements EventLoopRoute {
    /** The check names refusals are counted under ({@code bulwark_pipeline_rejections_total{stage=...}}). */
    public static final String DLP_CHECK = "data-loss-prevention";
    public static final String IMAGE_CHECK = "remote-image";

    private static final Logger LOG = Logger.getLogger(ProxyRoute.class.getName());
    static final Set<AccountKind> KINDS = Set.of(AccountKind.OpenAI, AccountKind.AIServices);

    /** Where the deployment's name comes from. */
    enum DeploymentFrom { PATH, BODY_MODEL }

    private final OpenAiProxy proxy;
    private final OpenAiOperation operation;
    private final String path;
    private final PathTemplate template;
    private final DeploymentFrom from;

    ProxyRoute(OpenAiProxy proxy, OpenAiOperation operation, String path, DeploymentFrom from) {
        this.proxy = proxy;
        this.operation = operation;
        this.path = path;
        this.template = new PathTemplate(path);
        this.from = from;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Set<AccountKind> kinds() {
        return KINDS;
    }

    @Override
    public String dataAction() {
        return operation.dataAction();
    }

    @Override
    public String operationName() {
        return operation.operationName();
    }

    @Override
    public List<UrlField> urlFields() {
        return operation.urlFields();
    }

    @Override
    public void serve(Exchange exchange) {
        RequestContext c = exchange.context();
        if (from == DeploymentFrom.PATH && exchange.request().getParam("api-version") == null) {
            refuse(exchange, 400, OpenAiErrors.body("MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests."));
            return;
        }
        ObjectNode body;
        String name;
        try {
            body = RequestBodies.parse(exchange.body().getBytes());
            name = from == DeploymentFrom.PATH ? template.variable(c.servicePath(), "deployment") : RequestBodies.model(body);
        } catch (RequestBodies.InvalidBody e) {
            refuse(exchange, 400, OpenAiErrors.body("BadRequest", e.getMessage()));
            return;
        }
        // Outbound URL check (DLP): before anything else looks at the deployment, so a refused request
        // costs no quota and never reaches the upstream.
        Optional<DlpViolation> violation = DlpCheck.check(operation.urlFields(), body, c.account().outbound());
        if (violation.isPresent()) {
            refuseOutbound(exchange, violation.get());
            return;
        }
        if (name == null) {
            refuse(exchange, 400, OpenAiErrors.body("BadRequest", "'model' is required: it names the deployment to use."));
            return;
        }
        DeploymentView deployment = c.snapshot().deployment(c.account().name(), name);
        if (deployment == null) {
            refuse(exchange, 404, OpenAiErrors.body("DeploymentNotFound", OpenAiErrors.DEPLOYMENT_NOT_FOUND_MESSAGE));
            return;
        }
        if (deployment.credentialProblem() != null) {
            LOG.warning(() -> "deployment " + deployment.key() + " has no usable upstream credential: " + deployment.credentialProblem());
            refuse(exchange, 502, OpenAiErrors.body("BadGateway",
                    "The deployment's credential for its model server is not available. Request id: " + c.requestId()));
            return;
        }
        QuotaDecision quota = proxy.quota().acquire(deployment);
        if (!quota.allowed()) {
            HttpServerResponse out = exchange.request().response();
            out.putHeader("Retry-After", Long.toString(quota.retryAfterSeconds()));
            QuotaHeaders.put(out, quota);
            refuse(exchange, 429, OpenAiErrors.body("429", "Requests to the " + operation.operationName() + " operation of deployment '"
                    + deployment.name() + "' have exceeded the " + quota.exhausted() + "-per-minute limit of the deployment's quota. "
                    + "Retry after " + quota.retryAfterSeconds() + " seconds."));
            return;
        }
        // Remote images, for a deployment whose model server must not fetch them itself: after the
        // DLP check (only allowed hosts are fetched) and the quota (a client over it makes Bulwark fetch nothing).
        if (deployment.inlineRemoteImages() && operation == OpenAiOperation.CHAT_COMPLETIONS) {
            proxy.images().inline(body, c.account().outbound()).onComplete(inlined -> {
                if (exchange.request().response().closed()) {
                    exchange.finished().accept(499); // the client left while the images were fetched
                } else if (inlined.failed()) {
                    LOG.log(Level.WARNING, "inlining the images of request " + c.requestId() + " failed", inlined.cause());
                    refuse(exchange, 500, OpenAiErrors.body("InternalServerError",
                            "The request's images could not be processed. Request id: " + c.requestId()));
                } else if (inlined.result() != null) {
                    refuseImage(exchange, inlined.result());
                } else {
                    send(exchange, deployment, body, quota);
                }
            });
            return;
        }
        send(exchange, deployment, body, quota);
    }

    private void send(Exchange exchange, DeploymentView deployment, ObjectNode body, QuotaDecision quota) {
        new ProxyCall(proxy, exchange, deployment, operation, RequestBodies.prepare(body, deployment.model(), operation), quota).start();
    }

    private void refuseImage(Exchange exchange, ImageInliner.Refusal refusal) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("reason", refusal.code());
        properties.put("parameter", refusal.parameter());
        properties.put("message", refusal.message());
        properties.put("operation", operation.operationName());
        proxy.refusals().accept(IMAGE_CHECK);
        audit(exchange, "DataPlane/RemoteImage", properties);
        refuse(exchange, 400, OpenAiErrors.body(refusal.code(), refusal.message()));
    }

    private void refuseOutbound(Exchange exchange, DlpViolation violation) {
        RequestContext c = exchange.context();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("reason", "outbound URL not allowed");
        properties.put("host", violation.host());
        properties.put("parameter", violation.parameter());
        properties.put("operation", operation.operationName());
        proxy.refusals().accept(DLP_CHECK);
        audit(exchange, "DataPlane/OutboundUrl", properties);
        refuse(exchange, 400, violation.body(c.requestId()).getBytes(StandardCharsets.UTF_8));
    }

    /** A 400 the proxy decided itself, as a failed audit record; the refusal is answered even if auditing fails. */
    private void audit(Exchange exchange, String operationName, Map<String, Object> properties) {
        RequestContext c = exchange.context();
        try {
            proxy.audit().accept(new AuditRecord(Instant.now(), c.account().resourceId(), operationName,
                    AuditRecord.CATEGORY_AUDIT, AuditRecord.FAILED, "400", 0,
                    c.clientAddress() != null ? c.clientAddress() : c.head().peerAddress(), c.requestId(),
                    c.principal() != null ? c.principal().describe() : "anonymous", properties));
        } catch (RuntimeException e) {
            LOG.warning(() -> "could not audit the " + operationName + " refusal of request " + c.requestId() + ": " + e);
        }
    }

    static void refuse(Exchange exchange, int status, byte[] body) {
        exchange.request().response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(Buffer.buffer(body));
        exchange.finished().accept(status);
    }

    @Override
    public String toString() {
        return "POST " + path;
    }
}
