package dev.bulwark.server.management;

import dev.bulwark.account.AccountConflictException;
import dev.bulwark.account.AccountEndpoints;
import dev.bulwark.account.AccountNotFoundException;
import dev.bulwark.account.AccountService;
import dev.bulwark.account.AccountValidationException;
import dev.bulwark.audit.AuditLog;
import dev.bulwark.audit.AuditRecord;
import dev.bulwark.identity.ManagementAuthenticator;
import dev.bulwark.identity.Principal;
import dev.bulwark.identity.rbac.RbacService;
import dev.bulwark.metrics.Metrics;
import dev.bulwark.snapshot.AccessRules;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The management plane: authenticate, route, run the operation on a worker thread, write the audit
 * record (durably, before answering), answer in ARM's error shape.
 */
public final class ManagementPlane implements Handler<HttpServerRequest> {
    private static final Logger LOG = Logger.getLogger(ManagementPlane.class.getName());
    private static final int MAX_BODY = 256 * 1024;

    private final Vertx vertx;
    private final ManagementAuthenticator authenticator;
    private final ManagementAuthorizer authorizer;
    private final AccountsApi accounts;
    private final AuditApi auditApi;
    private final RoleDefinitionsApi roleDefinitions;
    private final RoleAssignmentsApi roleAssignments;
    private final IdentitiesApi identities;
    private final DeploymentsApi deployments;
    private final AuditLog audit;
    private final SigningKeysApi signingKeys;
    private final Metrics metrics;
    private final dev.bulwark.usage.UsageLedger usage;
    private final UsageApi usageApi;
    private final dev.bulwark.server.VaultRoutes vault;

    public ManagementPlane(Vertx vertx, ManagementAuthenticator authenticator, ManagementAuthorizer authorizer,
                           AccountService accountService, AccountEndpoints endpoints, AuditLog audit, Metrics metrics,
                           RbacService rbac, Supplier<? extends AccessRules> accessRules,
                           dev.bulwark.identity.workload.WorkloadIdentityService workloadIdentities,
                           dev.bulwark.identity.token.TokenService tokens,
                           dev.bulwark.deployment.DeploymentService deploymentService, dev.bulwark.usage.UsageLedger usage,
                           dev.bulwark.server.VaultRoutes vault) {
        this.vault = vault;
        this.signingKeys = new SigningKeysApi(tokens);
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.accounts = new AccountsApi(accountService, endpoints);
        this.auditApi = new AuditApi(audit);
        this.roleDefinitions = new RoleDefinitionsApi(rbac, accessRules);
        this.roleAssignments = new RoleAssignmentsApi(rbac, accessRules);
        this.identities = new IdentitiesApi(workloadIdentities);
        this.deployments = new DeploymentsApi(deploymentService);
        this.audit = audit;
        this.metrics = metrics;
        this.usage = usage;
        this.usageApi = new UsageApi(usage);
    }

    @Override
    public void handle(HttpServerRequest request) {
        long start = System.nanoTime();
        String requestId = dev.bulwark.server.RequestIds.next();
        HttpServerResponse response = request.response();
        dev.bulwark.server.SecurityHeaders.apply(response.headers());
        response.headers().set("x-ms-request-id", requestId);
        response.headers().set("apim-request-id", requestId);
        SocketAddress peer = request.connection().remoteAddress();
        String clientAddress = peer == null ? "unknown" : peer.hostAddress();
        String method = request.method().name();
        String[] segments = segments(request.path());

        // The vault's own paths, with the management credentials (so the CLI's admin token works).
        if (vault.handles(request)) {
            vault.handle(request, requestId, start, clientAddress);
            return;
        }
        if (segments.length == 1 && segments[0].equals("healthz") && method.equals("GET")) {
            send(request, new ApiResponse(200, "application/json; charset=utf-8", "{\"status\":\"ok\"}", "/", Map.of()), start);
            return;
        }
        Principal principal = authenticator.authenticate(request.getHeader("Authorization"));
        String operation = operationName(method, segments);
        Map<String, String> query = new HashMap<>();
        request.params().forEach(e -> query.putIfAbsent(e.getKey(), e.getValue()));

        if (principal == null) {
            request.response().putHeader("WWW-Authenticate", "Bearer realm=\"bulwark-management\"");
            ApiResponse denied = ApiResponse.error(401, "AuthenticationFailed",
                    "Authentication failed. Send 'Authorization: Bearer <admin token>'.", "/");
            vertx.executeBlocking(() -> {
                record(denied, operation, start, clientAddress, requestId, "anonymous", true);
                return null;
            }, false).onComplete(ar -> send(request, denied, start));
            return;
        }
        // A usage read filtered to one account is authorised at that account (its Reader may see it).
        String scope = segments.length == 1 && segments[0].equals("usage") ? UsageApi.scope(query) : scopeOf(segments);
        // Role definitions and assignments authorise inside, at the scope the resource names (an
        // assignment's scope is in its body or its stored row); no scope fixed by the path fits them.
        boolean authorisesItself = segments.length >= 1 && (segments[0].equals("roleDefinitions") || segments[0].equals("roleAssignments"));
        if (!authorisesItself && !authorizer.permits(principal, scope, operation)) {
            ApiResponse forbidden = ApiResponse.error(403, "AuthorizationFailed", "The client '" + principal.describe()
                    + "' does not have authorization to perform action '" + operation + "' over scope '" + scope + "'.", scope);
            vertx.executeBlocking(() -> {
                record(forbidden, operation, start, clientAddress, requestId, principal.describe(), true);
                return null;
            }, false).onComplete(ar -> send(request, forbidden, start));
            return;
        }
        if (segments.length == 1 && segments[0].equals("metrics") && method.equals("GET")) {
            send(request, new ApiResponse(200, "text/plain; version=0.0.4; charset=utf-8", metrics.prometheusText() + usage.prometheusText(), "/metrics", Map.of()), start);
            return;
        }
        dev.bulwark.server.BodyReader.read(request, MAX_BODY).compose(body -> vertx.executeBlocking(() -> {
            ApiRequest api = new ApiRequest(method, segments, query, body.getBytes(), principal, requestId, clientAddress);
            ApiResponse answer;
            try {
                answer = dispatch(api);
            } catch (RuntimeException e) {
                if (e instanceof dev.bulwark.audit.AuditUnavailableException) {
                    throw e;
                }
                // An unexpected failure (e.g. a stored envelope that does not decrypt) is still an audited
                // call; the client gets no detail, the log gets the cause.
                LOG.log(Level.SEVERE, "management request " + requestId + " failed", e);
                answer = ApiResponse.error(500, "InternalServerError", "Internal error. Request id: " + requestId, resourceOf(api));
            }
            record(answer, operation, start, clientAddress, requestId, principal.describe(), true);
            return answer;
        }, false)).onComplete(ar -> {
            if (ar.succeeded()) {
                send(request, ar.result(), start);
            } else if (ar.cause() instanceof dev.bulwark.audit.AuditUnavailableException) {
                LOG.log(Level.SEVERE, "management request " + requestId + ": audit record not confirmed: " + ar.cause().getMessage());
                send(request, ApiResponse.error(503, "AuditUnavailable", "The audit log could not confirm this call's record; "
                        + "treat the outcome as unknown and check the resource. Request id: " + requestId, "/"), start);
            } else if (ar.cause() instanceof dev.bulwark.server.BodyReader.TooLarge) {
                send(request, ApiResponse.error(413, "RequestEntityTooLarge", "the request body is larger than " + MAX_BODY + " bytes", "/"), start);
            } else {
                LOG.log(Level.SEVERE, "management request " + requestId + " failed", ar.cause());
                send(request, ApiResponse.error(500, "InternalServerError", "Internal error. Request id: " + requestId, "/"), start);
            }
        });
    }

    private ApiResponse dispatch(ApiRequest r) {
        try {
            String[] s = r.segments();
            if (DeploymentsApi.handles(s)) {
                return deployments.handle(r);
            }
            if (s.length >= 1 && s.length <= 3 && s[0].equals("accounts")) {
                return accounts.handle(r);
            }
            if (s.length >= 1 && s.length <= 2 && s[0].equals("audit")) {
                return auditApi.handle(r);
            }
            if (s.length >= 1 && s[0].equals("roleDefinitions")) {
                return roleDefinitions.handle(r);
            }
            if (s.length >= 1 && s[0].equals("roleAssignments")) {
                return roleAssignments.handle(r);
            }
            if (s.length >= 1 && s.length <= 2 && s[0].equals("signingKeys")) {
                return signingKeys.handle(r);
            }
            if (s.length >= 1 && s.length <= 3 && s[0].equals("identities")) {
                return identities.handle(r);
            }
            if (s.length >= 1 && s[0].equals("usage")) {
                return usageApi.handle(r);
            }
            return ApiResponse.error(404, "NotFound", "no such management path", "/");
        } catch (AccountValidationException e) {
            return ApiResponse.error(400, e.code(), e.getMessage(), resourceOf(r));
        } catch (AccountNotFoundException e) {
            return ApiResponse.error(404, "ResourceNotFound", e.getMessage(), resourceOf(r));
        } catch (AccountConflictException e) {
            return ApiResponse.error(409, "Conflict", e.getMessage(), resourceOf(r));
        } catch (dev.bulwark.account.CustomerKeyDeniedException e) {
            // The record this answer leaves in the audit log is the revocation's trace.
            return ApiResponse.error(403, dev.bulwark.account.CustomerKeyDeniedException.CODE, e.getMessage(), resourceOf(r));
        }
    }

    private void record(ApiResponse answer, String operation, long start, String clientAddress, String requestId,
                        String identity, boolean durable) {
        Map<String, Object> props = new LinkedHashMap<>(answer.auditProperties());
        audit.append(new AuditRecord(Instant.now(), answer.resourceId(), operation, "Audit",
                answer.succeeded() ? "Succeeded" : "Failed", Integer.toString(answer.status()),
                (System.nanoTime() - start) / 1_000_000, clientAddress, requestId, identity, props));
        if (durable) {
            audit.flush();
        }
    }

    private void send(HttpServerRequest request, ApiResponse r, long start) {
        metrics.request("management", r.status(), System.nanoTime() - start);
        HttpServerResponse response = request.response().setStatusCode(r.status());
        if (r.body().isEmpty()) {
            response.end();
        } else {
            response.putHeader("Content-Type", r.contentType()).end(Buffer.buffer(r.body()));
        }
    }

    private static String operationName(String method, String[] s) {
        if (DeploymentsApi.handles(s)) {
            return DeploymentsApi.operationName(method, s);
        }
        if (s.length >= 1 && s[0].equals("accounts")) {
            return AccountsApi.operationName(method, s);
        }
        if (s.length >= 1 && s[0].equals("audit")) {
            return AuditApi.OPERATION;
        }
        if (s.length >= 1 && s[0].equals("roleDefinitions")) {
            return RoleDefinitionsApi.operationName(method, s);
        }
        if (s.length >= 1 && s[0].equals("roleAssignments")) {
            return RoleAssignmentsApi.operationName(method, s);
        }
        if (s.length >= 1 && s[0].equals("signingKeys")) {
            return SigningKeysApi.operationName(method, s);
        }
        if (s.length >= 1 && s[0].equals("identities")) {
            return IdentitiesApi.operationName(method, s);
        }
        if (s.length == 1 && s[0].equals("metrics")) {
            return "Bulwark/metrics/read";
        }
        if (s.length >= 1 && s[0].equals("usage")) {
            return UsageApi.OPERATION;
        }
        return "Bulwark/" + method.toLowerCase(java.util.Locale.ROOT);
    }

    /** The RBAC scope a management path acts on: the deployment or the account for account paths, else the root. */
    private static String scopeOf(String[] s) {
        if (DeploymentsApi.handles(s) && dev.bulwark.account.AccountName.isValid(s[1])) {
            return DeploymentsApi.scope(s);
        }
        if (s.length >= 2 && s[0].equals("accounts") && dev.bulwark.account.AccountName.isValid(s[1])) {
            return "/accounts/" + s[1];
        }
        return "/";
    }

    private static String resourceOf(ApiRequest r) {
        String[] s = r.segments();
        if (s.length >= 2 && s[0].equals("accounts") && dev.bulwark.account.AccountName.isValid(s[1])) {
            return "/accounts/" + s[1];
        }
        return "/" + (s.length > 0 ? s[0] : "");
    }

    private static String[] segments(String path) {
        String p = path == null ? "" : path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
