package dev.bulwark.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.account.AccountValidationException;
import dev.bulwark.identity.workload.IssuedSecret;
import dev.bulwark.identity.workload.WorkloadIdentity;
import dev.bulwark.identity.workload.WorkloadIdentityConflictException;
import dev.bulwark.identity.workload.WorkloadIdentityName;
import dev.bulwark.identity.workload.WorkloadIdentityNotFoundException;
import dev.bulwark.identity.workload.WorkloadIdentityService;
import dev.bulwark.identity.workload.WorkloadIdentityValidationException;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The workload identities API: {@code /identities[/{name}[/regenerateSecret]]}, ARM-shaped
 * ({@code {"id","name","type","properties":{...}}}). A client secret appears in exactly two answers:
 * the one that created the identity and the one that regenerated it.
 *
 * <ul>
 *   <li>{@code GET /identities} - list; {@code GET /identities/{name or client id}} - one</li>
 *   <li>{@code PUT /identities/{name}} - create; body optional:
 *       {@code {"properties":{"publicKeyJwk":{...},"generateClientSecret":true}}}; 409 if the name is taken</li>
 *   <li>{@code PATCH /identities/{name}} - {@code {"properties":{"publicKeyJwk":{...}|null}}} registers, replaces or removes the key</li>
 *   <li>{@code DELETE /identities/{name}} - 200, or 204 when there was none</li>
 *   <li>{@code POST /identities/{name}/regenerateSecret} - body optional: {@code {"revokePrevious":true}}</li>
 * </ul>
 */
public final class IdentitiesApi {
    static final String TYPE = "Bulwark/identities";
    public static final String READ = TYPE + "/read";
    public static final String WRITE = TYPE + "/write";
    public static final String DELETE = TYPE + "/delete";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkloadIdentityService identities;

    public IdentitiesApi(WorkloadIdentityService identities) {
        this.identities = identities;
    }

    /** The RBAC action and audit operation name, known before the call runs. */
    public static String operationName(String method, String[] s) {
        if (s.length == 1) {
            return READ;
        }
        if (s.length == 3) {
            return WRITE; // regenerateSecret: issuing a credential is a write
        }
        return switch (method) {
            case "PUT", "PATCH", "POST" -> WRITE;
            case "DELETE" -> DELETE;
            default -> READ;
        };
    }

    public ApiResponse handle(ApiRequest r) {
        try {
            return dispatch(r);
        } catch (WorkloadIdentityValidationException e) {
            return ApiResponse.error(400, e.code(), e.getMessage(), resourceOf(r));
        } catch (AccountValidationException e) { // StrictJson's refusals
            return ApiResponse.error(400, e.code(), e.getMessage(), resourceOf(r));
        } catch (WorkloadIdentityNotFoundException e) {
            return ApiResponse.error(404, "ResourceNotFound", e.getMessage(), resourceOf(r));
        } catch (WorkloadIdentityConflictException e) {
            return ApiResponse.error(409, "Conflict", e.getMessage(), resourceOf(r));
        }
    }

    private ApiResponse dispatch(ApiRequest r) {
        String[] s = r.segments();
        if (s.length == 1) {
            return r.method().equals("GET") ? list() : methodNotAllowed("GET", "/identities");
        }
        String name = s[1];
        if (s.length == 2 && r.method().equals("GET")) {
            if (!WorkloadIdentityName.looksLikeClientId(name)) {
                WorkloadIdentityName.validate(name);
            }
            WorkloadIdentity identity = identities.find(name).orElseThrow(() -> new WorkloadIdentityNotFoundException(name));
            return ApiResponse.json(200, render(identity, Optional.empty()), identity.resourceId());
        }
        WorkloadIdentityName.validate(name);
        String resourceId = WorkloadIdentity.resourceId(name);
        if (s.length == 2) {
            return switch (r.method()) {
                case "PUT" -> create(name, r.body(), resourceId);
                case "PATCH" -> patch(name, r.body(), resourceId);
                case "DELETE" -> identities.delete(name)
                        ? ApiResponse.json(200, null, resourceId)
                        : ApiResponse.json(204, null, resourceId);
                default -> methodNotAllowed("GET, PUT, PATCH, DELETE", resourceId);
            };
        }
        if (s.length == 3 && s[2].equals("regenerateSecret")) {
            if (!r.method().equals("POST")) {
                return methodNotAllowed("POST", resourceId);
            }
            boolean revokePrevious = false;
            if (r.body() != null && r.body().length > 0) {
                JsonNode body = object(r.body(), Set.of("revokePrevious"));
                JsonNode rp = body.get("revokePrevious");
                if (rp != null && !rp.isBoolean()) {
                    throw invalid("revokePrevious must be true or false");
                }
                revokePrevious = rp != null && rp.booleanValue();
            }
            WorkloadIdentityService.Rotated rotated = identities.regenerateSecret(name, revokePrevious);
            return ApiResponse.json(200, render(rotated.identity(), Optional.of(rotated.secret())), resourceId)
                    .withAudit(Map.of("revokePrevious", revokePrevious));
        }
        return ApiResponse.error(404, "NotFound", "no such operation", resourceId);
    }

    private ApiResponse create(String name, byte[] body, String resourceId) {
        Optional<String> jwk = Optional.empty();
        boolean generateSecret = true;
        if (body != null && body.length > 0) {
            JsonNode root = object(body, Set.of("name", "properties"));
            if (root.has("name") && !name.equals(root.get("name").asText(null))) {
                throw invalid("the body's name differs from the path's");
            }
            JsonNode props = root.path("properties");
            if (!props.isMissingNode()) {
                if (!props.isObject()) {
                    throw invalid("properties must be an object");
                }
                onlyKnown(props, Set.of("publicKeyJwk", "generateClientSecret"));
                jwk = publicKey(props);
                JsonNode g = props.get("generateClientSecret");
                if (g != null && !g.isBoolean()) {
                    throw invalid("generateClientSecret must be true or false");
                }
                generateSecret = g == null || g.booleanValue();
            }
        }
        WorkloadIdentityService.Created created = identities.create(name, jwk, generateSecret);
        Map<String, Object> audit = new LinkedHashMap<>();
        audit.put("clientId", created.identity().clientId());
        audit.put("clientSecretIssued", created.secret().isPresent());
        created.identity().publicKey().ifPresent(k -> audit.put("publicKeyThumbprint", k.thumbprint()));
        return ApiResponse.json(201, render(created.identity(), created.secret()), resourceId).withAudit(audit);
    }

    private ApiResponse patch(String name, byte[] body, String resourceId) {
        JsonNode props = object(body, Set.of("properties")).path("properties");
        if (!props.isObject() || !props.has("publicKeyJwk")) {
            throw invalid("body must be {\"properties\":{\"publicKeyJwk\":{...} or null}}");
        }
        onlyKnown(props, Set.of("publicKeyJwk"));
        WorkloadIdentity updated = identities.updatePublicKey(name, publicKey(props));
        Map<String, Object> audit = new LinkedHashMap<>();
        audit.put("publicKeyThumbprint", updated.publicKey().map(k -> (Object) k.thumbprint()).orElse("removed"));
        return ApiResponse.json(200, render(updated, Optional.empty()), resourceId).withAudit(audit);
    }

    private static Optional<String> publicKey(JsonNode props) {
        JsonNode k = props.get("publicKeyJwk");
        if (k == null || k.isNull()) {
            return Optional.empty();
        }
        if (!k.isObject()) {
            throw new WorkloadIdentityValidationException("InvalidPublicKey", "publicKeyJwk must be a JWK object");
        }
        return Optional.of(k.toString());
    }

    private ApiResponse list() {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode value = o.putArray("value");
        for (WorkloadIdentity i : identities.list()) {
            value.add(render(i, Optional.empty()));
        }
        return ApiResponse.json(200, o, "/identities");
    }

    /** The ARM-shaped identity; {@code secret} only in the answer that issued it. */
    static ObjectNode render(WorkloadIdentity i, Optional<IssuedSecret> secret) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", i.resourceId());
        o.put("name", i.name());
        o.put("type", TYPE);
        ObjectNode p = o.putObject("properties");
        p.put("clientId", i.clientId());
        p.put("principalId", i.clientId());
        p.put("createdDateTime", i.createdAt().toString());
        p.put("updatedDateTime", i.updatedAt().toString());
        i.publicKey().ifPresent(k -> {
            try {
                p.set("publicKeyJwk", JSON.readTree(k.toJson()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("stored public key is not JSON", e);
            }
            p.put("publicKeyThumbprint", k.thumbprint());
        });
        i.currentSecret().ifPresent(c -> p.put("clientSecretCreatedDateTime", c.createdAt().toString()));
        i.previousSecret().flatMap(WorkloadIdentity.SecretInfo::expiresAt)
                .ifPresent(e -> p.put("previousClientSecretExpiresDateTime", e.toString()));
        secret.ifPresent(s -> p.put("clientSecret", s.reveal()));
        return o;
    }

    private static JsonNode object(byte[] body, Set<String> allowed) {
        JsonNode n = StrictJson.parse(body);
        if (!n.isObject()) {
            throw invalid("the body must be a JSON object");
        }
        onlyKnown(n, allowed);
        return n;
    }

    private static void onlyKnown(JsonNode n, Set<String> allowed) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new WorkloadIdentityValidationException("UnsupportedProperty", "'" + f + "' is not supported here; allowed: " + allowed);
            }
        }
    }

    private static WorkloadIdentityValidationException invalid(String message) {
        return new WorkloadIdentityValidationException("InvalidRequestContent", message);
    }

    private static String resourceOf(ApiRequest r) {
        String[] s = r.segments();
        if (s.length >= 2 && WorkloadIdentityName.isValid(s[1])) {
            return WorkloadIdentity.resourceId(s[1]);
        }
        return "/identities";
    }

    private static ApiResponse methodNotAllowed(String allowed, String resourceId) {
        return ApiResponse.error(405, "MethodNotAllowed", "allowed methods: " + allowed, resourceId);
    }
}
