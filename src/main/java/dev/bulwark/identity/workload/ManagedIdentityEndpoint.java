package dev.bulwark.identity.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The App Service managed-identity protocol (api-version 2019-08-01), so that Azure Identity's
 * {@code ManagedIdentityCredential} / {@code DefaultAzureCredential} in an unchanged application gets
 * Bulwark tokens when {@code IDENTITY_ENDPOINT} points here and {@code IDENTITY_HEADER} holds the
 * workload identity's client secret.
 *
 * <p>What the client sends (msal4j 1.26.0, which azure-identity 1.19.0 uses for managed identity;
 * {@code AppServiceManagedIdentitySource}, {@code ManagedIdentityRequest}):
 * {@code GET <IDENTITY_ENDPOINT>?api-version=2019-08-01&resource=<r>} with header
 * {@code X-IDENTITY-HEADER: <IDENTITY_HEADER>}; no {@code Metadata} header (that is IMDS). The resource
 * is the single scope with {@code /.default} removed (azure-identity {@code ScopeUtil.scopesToResource});
 * there is no {@code scope} parameter in this protocol. A user-assigned identity adds one of
 * {@code client_id}, {@code mi_res_id} or {@code object_id}; msal4j may add {@code xms_cc} and
 * {@code token_sha256_to_refresh}, which are ignored here. It reads {@code access_token},
 * {@code expires_on} (a string: Unix seconds, or ISO 8601), {@code resource}, {@code token_type},
 * {@code client_id}; on a non-200 it reads {@code error}/{@code error_description} (or
 * {@code message}/{@code correlationId}). It retries 404, 408, 429, 500, 503 and 504, so refusals here
 * are 400, 401 and 405, which it does not retry.
 *
 * <p>Checks, in order: GET only; exactly one {@code X-IDENTITY-HEADER}, a valid current (or
 * overlapping previous) client secret, which names the identity; then the query: no repeated
 * parameter, {@code api-version=2019-08-01}, {@code resource} one of the configured resources, and an
 * optional identity selector that must name that same identity. Transport-neutral and blocking:
 * call {@link #handle} on a worker thread.
 */
public final class ManagedIdentityEndpoint {
    public static final String API_VERSION = "2019-08-01";
    public static final String IDENTITY_HEADER = "X-IDENTITY-HEADER";
    /** Where the server should mount this endpoint; {@code IDENTITY_ENDPOINT} is then {@code https://<host>:<port>/msi/token}. */
    public static final String SUGGESTED_PATH = "/msi/token";
    private static final List<String> SELECTORS = List.of("client_id", "object_id", "principal_id", "mi_res_id", "msi_res_id");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkloadIdentityService identities;
    private final WorkloadTokenMinter minter;
    private final WorkloadTokenPolicy policy;
    private final Clock clock;

    public ManagedIdentityEndpoint(WorkloadIdentityService identities, WorkloadTokenMinter minter, WorkloadTokenPolicy policy, Clock clock) {
        this.identities = identities;
        this.minter = minter;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * @param method         the HTTP method
     * @param rawQuery       the query string as received (still percent-encoded), or null
     * @param identityHeader every value of the {@code X-IDENTITY-HEADER} request header (empty when absent)
     */
    public EndpointResponse handle(String method, String rawQuery, List<String> identityHeader) {
        if (!"GET".equals(method)) {
            Map<String, String> h = EndpointResponse.jsonHeaders();
            h.put("Allow", "GET");
            return error(405, h, "invalid_request", "use GET", "method " + FormParameters.printable(String.valueOf(method)));
        }
        if (identityHeader == null || identityHeader.isEmpty() || identityHeader.get(0).isEmpty()) {
            return unauthorized("the " + IDENTITY_HEADER + " header is required", "no " + IDENTITY_HEADER);
        }
        if (identityHeader.size() > 1) {
            return unauthorized("send one " + IDENTITY_HEADER + " header", "repeated " + IDENTITY_HEADER);
        }
        WorkloadIdentity identity;
        boolean previous;
        switch (identities.checkSecret(identityHeader.get(0))) {
            case WorkloadIdentityService.SecretCheck.Valid v -> {
                identity = v.identity();
                previous = v.previousSecret();
            }
            case WorkloadIdentityService.SecretCheck.Invalid i -> {
                return unauthorized("the " + IDENTITY_HEADER + " value is not valid", i.reason());
            }
        }

        Map<String, String> query;
        try {
            query = FormParameters.parse(rawQuery);
        } catch (FormParameters.Malformed e) {
            return badRequest("invalid_request", "malformed query: " + e.getMessage(), "malformed query", identity);
        }
        String version = query.get("api-version");
        if (version == null) {
            return badRequest("invalid_request", "api-version is required; this endpoint speaks " + API_VERSION, "no api-version", identity);
        }
        if (!version.equals(API_VERSION)) {
            return badRequest("invalid_request", "unsupported api-version '" + FormParameters.printable(version)
                    + "'; this endpoint speaks " + API_VERSION, "unsupported api-version", identity);
        }
        String requested = query.get("resource");
        if (requested == null) {
            String hint = query.containsKey("scope") ? "; this protocol takes resource=<resource>, not scope=" : "";
            return badRequest("invalid_request", "resource is required" + hint, "no resource", identity);
        }
        Optional<String> resource = policy.resource(requested);
        if (resource.isEmpty()) {
            return badRequest("invalid_resource", "unknown resource '" + FormParameters.printable(requested) + "'", "unknown resource", identity);
        }
        List<String> selectors = new ArrayList<>();
        for (String s : SELECTORS) {
            if (query.containsKey(s)) {
                selectors.add(s);
            }
        }
        if (selectors.size() > 1) {
            return badRequest("invalid_request", "name the identity with at most one of " + SELECTORS, "several identity selectors", identity);
        }
        if (selectors.size() == 1 && !selects(identity, selectors.get(0), query.get(selectors.get(0)))) {
            return badRequest("invalid_request", "the requested identity is not the one the " + IDENTITY_HEADER + " belongs to",
                    "identity selector names another identity", identity);
        }

        Duration lifetime = minter.lifetime();
        Instant expiresOn = clock.instant().plus(lifetime); // taken before minting: never later than the token's own exp
        String token = minter.mint(identity.clientId(), identity.name(), resource.get());
        ObjectNode o = JSON.createObjectNode();
        o.put("access_token", token);
        o.put("expires_on", Long.toString(expiresOn.getEpochSecond()));
        o.put("resource", requested);
        o.put("token_type", "Bearer");
        o.put("client_id", identity.clientId());
        return new EndpointResponse(200, EndpointResponse.jsonHeaders(), o.toString(), Optional.of(identity.principal()),
                "issued for " + resource.get() + " via managed identity" + (previous ? " with the previous client secret" : ""));
    }

    private static boolean selects(WorkloadIdentity identity, String selector, String value) {
        return switch (selector) {
            case "mi_res_id", "msi_res_id" -> identity.resourceId().equals(value);
            default -> identity.clientId().equalsIgnoreCase(value); // the client id is also the principal (object) id
        };
    }

    private static EndpointResponse unauthorized(String description, String reason) {
        return error(401, EndpointResponse.jsonHeaders(), "invalid_client", description, reason);
    }

    private static EndpointResponse badRequest(String error, String description, String reason, WorkloadIdentity identity) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", error);
        o.put("error_description", description);
        return new EndpointResponse(400, EndpointResponse.jsonHeaders(), o.toString(), Optional.of(identity.principal()), reason);
    }

    private static EndpointResponse error(int status, Map<String, String> headers, String error, String description, String reason) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", error);
        o.put("error_description", description);
        return new EndpointResponse(status, headers, o.toString(), Optional.empty(), reason);
    }
}
