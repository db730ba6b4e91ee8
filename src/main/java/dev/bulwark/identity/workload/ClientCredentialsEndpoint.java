package dev.bulwark.identity.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OAuth 2.0 client credentials grant (RFC 6749 §4.4) for workload identities, served at
 * {@link #PATH} on the data plane: a form-encoded POST with {@code grant_type=client_credentials} and
 * {@code scope=<resource>/.default} (or {@code resource=<resource>}), authenticated by exactly one of
 * {@code client_secret_basic}, {@code client_secret_post} or {@code private_key_jwt}. Answers
 * {@code {"access_token","token_type":"Bearer","expires_in"}} or an RFC 6749 §5.2 error.
 *
 * <p>Transport-neutral and blocking (it reads the database): call {@link #handle} on a worker thread.
 *
 * <p>Order of checks: body shape, how many authentication methods, grant type, scope, then the
 * credential itself; the token is minted only after all of them pass. The {@code client_id} of the
 * secret methods may be the identity's id or its name (names cannot look like ids); an assertion's
 * {@code iss}/{@code sub} must be the id. Failed secrets say only "client authentication failed";
 * the precise reason goes to the audit record.
 */
public final class ClientCredentialsEndpoint {
    public static final String PATH = "/oauth2/v2.0/token";
    public static final int MAX_BODY_BYTES = 64 * 1024;
    static final String FORM = "application/x-www-form-urlencoded";
    private static final String DEFAULT_SUFFIX = "/.default";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkloadIdentityService identities;
    private final WorkloadTokenMinter minter;
    private final WorkloadTokenPolicy policy;
    private final ClientAssertionVerifier assertions;

    public ClientCredentialsEndpoint(WorkloadIdentityService identities, WorkloadTokenMinter minter, WorkloadTokenPolicy policy, Clock clock) {
        this(identities, minter, policy, clock, new ReplayCache(ClientAssertionVerifier.REPLAY_CACHE_CAPACITY));
    }

    ClientCredentialsEndpoint(WorkloadIdentityService identities, WorkloadTokenMinter minter, WorkloadTokenPolicy policy,
                              Clock clock, ReplayCache replays) {
        this.identities = identities;
        this.minter = minter;
        this.policy = policy;
        this.assertions = new ClientAssertionVerifier(identities, policy, clock, replays);
    }

    /**
     * @param authorization the {@code Authorization} header, or null when absent (a repeated header must be refused by the caller)
     * @param contentType   the {@code Content-Type} header, or null
     * @param body          the request body (the caller enforces {@link #MAX_BODY_BYTES} while reading)
     */
    public EndpointResponse handle(String authorization, String contentType, byte[] body) {
        try {
            return issue(authorization, contentType, body == null ? new byte[0] : body);
        } catch (Refusal r) {
            return r.response();
        }
    }

    private EndpointResponse issue(String authorization, String contentType, byte[] body) throws Refusal {
        if (!isForm(contentType)) {
            throw Refusal.badRequest("invalid_request", "the body must be " + FORM, "wrong content type");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw Refusal.badRequest("invalid_request", "the body is larger than " + MAX_BODY_BYTES + " bytes", "body too large");
        }
        Map<String, String> form;
        try {
            form = FormParameters.parse(new String(body, StandardCharsets.UTF_8));
        } catch (FormParameters.Malformed e) {
            throw Refusal.badRequest("invalid_request", "malformed form body: " + e.getMessage(), "malformed form");
        }

        boolean header = authorization != null && !authorization.isEmpty();
        boolean post = form.containsKey("client_secret");
        boolean assertion = form.containsKey("client_assertion") || form.containsKey("client_assertion_type");
        List<String> methods = new ArrayList<>();
        if (header) {
            methods.add("Authorization header");
        }
        if (post) {
            methods.add("client_secret");
        }
        if (assertion) {
            methods.add("client_assertion");
        }
        if (methods.size() > 1) {
            throw Refusal.badRequest("invalid_request", "use exactly one client authentication method; this request used "
                    + String.join(" and ", methods), "several client authentication methods");
        }

        String grant = form.get("grant_type");
        if (grant == null) {
            throw Refusal.badRequest("invalid_request", "grant_type is required", "no grant_type");
        }
        if (!grant.equals("client_credentials")) {
            throw Refusal.badRequest("unsupported_grant_type", "only grant_type=client_credentials is supported",
                    "unsupported grant type");
        }
        String resource = resource(form);

        if (methods.isEmpty()) {
            throw Refusal.unauthorized("client authentication is required: client_secret_basic, client_secret_post or private_key_jwt",
                    "no client authentication", true);
        }
        Authenticated who = header ? basic(authorization, form) : post ? post(form) : assertion(form);

        Duration lifetime = minter.lifetime();
        String token = minter.mint(who.identity().clientId(), who.identity().name(), resource);
        ObjectNode o = JSON.createObjectNode();
        o.put("access_token", token);
        o.put("token_type", "Bearer");
        o.put("expires_in", lifetime.toSeconds());
        return new EndpointResponse(200, EndpointResponse.jsonHeaders(), o.toString(), Optional.of(who.identity().principal()),
                "issued for " + resource + " via " + who.method() + (who.previousSecret() ? " with the previous client secret" : ""));
    }

    private record Authenticated(WorkloadIdentity identity, String method, boolean previousSecret) {
    }

    private String resource(Map<String, String> form) throws Refusal {
        String scope = form.get("scope");
        String resource = form.get("resource");
        if (scope != null && resource != null) {
            throw Refusal.badRequest("invalid_request", "give scope or resource, not both", "scope and resource");
        }
        String requested;
        if (scope != null) {
            String[] scopes = scope.strip().split(" +");
            if (scopes.length != 1) {
                throw Refusal.badRequest("invalid_scope", "ask for exactly one scope, <resource>/.default", "several scopes");
            }
            if (!scopes[0].endsWith(DEFAULT_SUFFIX)) {
                throw Refusal.badRequest("invalid_scope", "the scope must be <resource>/.default, e.g. "
                        + WorkloadTokenPolicy.DEFAULT_RESOURCE + DEFAULT_SUFFIX, "scope without /.default");
            }
            requested = scopes[0].substring(0, scopes[0].length() - DEFAULT_SUFFIX.length());
        } else if (resource != null) {
            requested = resource;
        } else {
            throw Refusal.badRequest("invalid_scope", "scope is required: <resource>/.default, e.g. "
                    + WorkloadTokenPolicy.DEFAULT_RESOURCE + DEFAULT_SUFFIX, "no scope");
        }
        return policy.resource(requested).orElseThrow(() -> Refusal.badRequest("invalid_scope",
                "unknown resource '" + FormParameters.printable(requested) + "'", "unknown resource"));
    }

    /** {@code client_secret_basic}: RFC 6749 §2.3.1, id and secret form-encoded, then joined by ':', then base64. */
    private Authenticated basic(String authorization, Map<String, String> form) throws Refusal {
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        if (!scheme.equalsIgnoreCase("Basic")) {
            throw Refusal.unauthorized("the Authorization header must use the Basic scheme", "unsupported Authorization scheme", true);
        }
        String encoded = authorization.substring(space + 1).strip();
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Refusal.unauthorized("malformed Basic credentials", "malformed Basic credentials (base64)", true);
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            throw Refusal.unauthorized("malformed Basic credentials", "malformed Basic credentials (no ':')", true);
        }
        String id;
        String secret;
        try {
            id = FormParameters.decode(pair.substring(0, colon));
            secret = FormParameters.decode(pair.substring(colon + 1));
        } catch (FormParameters.Malformed e) {
            throw Refusal.unauthorized("malformed Basic credentials", "malformed Basic credentials (encoding)", true);
        }
        if (id.isEmpty() || secret.isEmpty()) {
            throw Refusal.unauthorized("malformed Basic credentials", "empty client id or secret in Basic credentials", true);
        }
        if (form.containsKey("client_id") && !form.get("client_id").equals(id)) {
            throw Refusal.badRequest("invalid_request", "client_id differs from the client in the Authorization header",
                    "client_id and Basic credentials disagree");
        }
        return secret(id, secret, "client_secret_basic", true);
    }

    /** {@code client_secret_post}: client_id and client_secret in the body. */
    private Authenticated post(Map<String, String> form) throws Refusal {
        String id = form.get("client_id");
        if (id == null) {
            throw Refusal.unauthorized("client_id is required with client_secret", "client_secret without client_id", false);
        }
        return secret(id, form.get("client_secret"), "client_secret_post", false);
    }

    private Authenticated secret(String id, String secret, String method, boolean basic) throws Refusal {
        return switch (identities.checkSecret(id, secret)) {
            case WorkloadIdentityService.SecretCheck.Valid v -> new Authenticated(v.identity(), method, v.previousSecret());
            case WorkloadIdentityService.SecretCheck.Invalid i ->
                    throw Refusal.unauthorized("client authentication failed", method + ": " + i.reason(), basic);
        };
    }

    /** {@code private_key_jwt}: RFC 7523 §2.2. */
    private Authenticated assertion(Map<String, String> form) throws Refusal {
        String type = form.get("client_assertion_type");
        String assertion = form.get("client_assertion");
        if (type == null || assertion == null) {
            throw Refusal.badRequest("invalid_request", "client_assertion and client_assertion_type must be sent together",
                    "incomplete client assertion");
        }
        if (!type.equals(ClientAssertionVerifier.ASSERTION_TYPE)) {
            throw Refusal.unauthorized("unsupported client_assertion_type; use " + ClientAssertionVerifier.ASSERTION_TYPE,
                    "unsupported client_assertion_type", false);
        }
        return switch (assertions.verify(assertion, Optional.ofNullable(form.get("client_id")))) {
            case ClientAssertionVerifier.Result.Valid v -> new Authenticated(v.identity(), "private_key_jwt", false);
            case ClientAssertionVerifier.Result.Invalid i ->
                    throw Refusal.unauthorized("client assertion rejected: " + i.reason(), "private_key_jwt: " + i.reason(), false);
            case ClientAssertionVerifier.Result.Unavailable u -> throw new Refusal(503, "temporarily_unavailable",
                    "too many client assertions in flight; retry shortly", "private_key_jwt: " + u.reason(), false);
        };
    }

    static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().equalsIgnoreCase(FORM);
    }

    /** An RFC 6749 §5.2 error answer, thrown from deep in the checks and turned into a response once. */
    private static final class Refusal extends Exception {
        private final int status;
        private final String error;
        private final String description;
        private final String reason;
        private final boolean basicChallenge;

        Refusal(int status, String error, String description, String reason, boolean basicChallenge) {
            super(reason, null, false, false);
            this.status = status;
            this.error = error;
            this.description = description;
            this.reason = reason;
            this.basicChallenge = basicChallenge;
        }

        static Refusal badRequest(String error, String description, String reason) {
            return new Refusal(400, error, description, reason, false);
        }

        /** invalid_client; RFC 6749 §5.2: a client that tried the Authorization header gets 401 with a Basic challenge. */
        static Refusal unauthorized(String description, String reason, boolean basicChallenge) {
            return new Refusal(401, "invalid_client", description, reason, basicChallenge);
        }

        EndpointResponse response() {
            Map<String, String> headers = EndpointResponse.jsonHeaders();
            if (basicChallenge) {
                headers.put("WWW-Authenticate", "Basic realm=\"bulwark\", charset=\"UTF-8\"");
            }
            if (status == 503) {
                headers.put("Retry-After", "5");
            }
            ObjectNode o = JSON.createObjectNode();
            o.put("error", error);
            o.put("error_description", description);
            return new EndpointResponse(status, headers, o.toString(), Optional.empty(), reason);
        }
    }
}
