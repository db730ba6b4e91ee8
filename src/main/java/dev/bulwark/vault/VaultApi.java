package dev.bulwark.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.identity.Principal;
import dev.bulwark.identity.rbac.Scope;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The vault's REST API in Key Vault's data-plane shapes (api-version 7.x): secrets, keys, their
 * versions, and deleted items. Each operation checks its data action at the item's scope
 * ({@code /vault/secrets/<name>}, {@code /vault/keys/<name>}) or, for listings, at {@code /vault};
 * refusals are Key Vault's 403 {@code Forbidden}/{@code ForbiddenByRbac}. Transport-neutral; blocking.
 */
public final class VaultApi {
    /** Key Vault's page size limit for listings. */
    static final int MAX_PAGE = 25;
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final String JSON_TYPE = "application/json; charset=utf-8";

    private final VaultItems items;
    private final VaultSecrets secrets;
    private final VaultKeys keys;
    private final VaultAuthorizer authorizer;

    public VaultApi(VaultItems items, VaultSecrets secrets, VaultKeys keys, VaultAuthorizer authorizer) {
        this.items = items;
        this.secrets = secrets;
        this.keys = keys;
        this.authorizer = authorizer;
    }

    public static String contentType() {
        return JSON_TYPE;
    }

    /** Whether a path is the vault's: {@code /secrets}, {@code /keys}, {@code /deletedsecrets}, {@code /deletedkeys} and below. */
    public static boolean handles(String path) {
        if (path == null) {
            return false;
        }
        // Asked of every data-plane request: no allocation.
        for (String root : ROOTS) {
            if (path.startsWith(root) && (path.length() == root.length() || path.charAt(root.length()) == '/')) {
                return true;
            }
        }
        return false;
    }

    private static final String[] ROOTS = {"/secrets", "/keys", "/deletedsecrets", "/deletedkeys"};

    public VaultResponse handle(VaultRequest r) {
        String[] s = segments(r.path());
        // Named up front so a refusal's audit record says what was attempted, on what.
        String operation = operationOf(r.method(), s);
        String resource = s.length >= 2 && VaultName.isValid(s[1]) && !s[0].isEmpty()
                ? scope(s[0].endsWith("keys") ? VaultItemKind.KEY : VaultItemKind.SECRET, s[1]) : Scope.VAULT;
        try {
            String apiVersion = r.query().get("api-version");
            if (apiVersion == null || !apiVersion.startsWith("7.")) {
                throw VaultException.badParameter("The api-version query parameter is required and must be a 7.x version.");
            }
            return switch (s[0]) {
                case "secrets" -> secrets(r, s);
                case "deletedsecrets" -> deleted(r, s, VaultItemKind.SECRET);
                case "keys" -> keys(r, s);
                case "deletedkeys" -> deleted(r, s, VaultItemKind.KEY);
                default -> throw new VaultException(404, "NotFound", "No such vault path.");
            };
        } catch (VaultException e) {
            return new VaultResponse(e.status(), VaultJson.error(e).toString(), operation, resource);
        }
    }

    // ------------------------------------------------------------------------------ secrets

    private VaultResponse secrets(VaultRequest r, String[] s) {
        String m = r.method();
        if (s.length == 1) {
            requireMethod(m, "GET");
            authorize(r, Scope.VAULT, VaultActions.SECRET_READ_METADATA);
            List<ObjectNode> all = new ArrayList<>();
            for (VaultVersion v : items.list(VaultItemKind.SECRET)) {
                all.add(VaultJson.secretItem(r.baseUrl(), v, false, items.policy()));
            }
            return page(r, all, "SecretList", Scope.VAULT);
        }
        String name = VaultName.require(s[1]);
        String scope = scope(VaultItemKind.SECRET, name);
        if (s.length == 3 && s[2].equals("versions")) {
            requireMethod(m, "GET");
            authorize(r, scope, VaultActions.SECRET_READ_METADATA);
            List<ObjectNode> all = new ArrayList<>();
            for (VaultVersion v : items.versions(VaultItemKind.SECRET, name)) {
                all.add(VaultJson.secretItem(r.baseUrl(), v, true, items.policy()));
            }
            return page(r, all, "SecretListVersions", scope);
        }
        if (s.length > 3) {
            throw new VaultException(404, "NotFound", "No such vault path.");
        }
        Optional<String> version = s.length == 3 && !s[2].isEmpty() ? Optional.of(s[2]) : Optional.empty();
        switch (m) {
            case "PUT" -> {
                if (version.isPresent()) {
                    throw new VaultException(405, "MethodNotAllowed", "PUT a secret by name, without a version.");
                }
                authorize(r, scope, VaultActions.SECRET_SET);
                ObjectNode body = body(r);
                JsonNode value = body.get("value");
                if (value == null || !value.isTextual()) {
                    throw VaultException.badParameter("The secret value (a string) is required.");
                }
                Attrs a = attrs(body.get("attributes"));
                VaultSecrets.Secret saved = secrets.set(name, value.textValue(), new VaultSecrets.NewSecret(text(body, "contentType"),
                        a.enabled().orElse(true), a.nbf().orElse(Optional.empty()), a.exp().orElse(Optional.empty()),
                        tags(body.get("tags")).orElse(Map.of())));
                return ok("SecretSet", scope, VaultJson.secret(r.baseUrl(), saved.version(), saved.value(), items.policy()));
            }
            case "GET" -> {
                authorize(r, scope, VaultActions.SECRET_GET);
                VaultSecrets.Secret secret = secrets.get(name, version);
                return ok("SecretGet", scope, VaultJson.secret(r.baseUrl(), secret.version(), secret.value(), items.policy()));
            }
            case "PATCH" -> {
                authorize(r, scope, VaultActions.SECRET_UPDATE);
                ObjectNode body = body(r);
                Attrs a = attrs(body.get("attributes"));
                Optional<Optional<String>> contentType = body.has("contentType") ? Optional.of(text(body, "contentType")) : Optional.empty();
                VaultVersion v = items.update(VaultItemKind.SECRET, name, version,
                        new VaultItems.Update(a.enabled(), a.nbf(), a.exp(), tags(body.get("tags")), contentType));
                return ok("SecretUpdate", scope, VaultJson.secret(r.baseUrl(), v, null, items.policy()));
            }
            case "DELETE" -> {
                if (version.isPresent()) {
                    throw new VaultException(405, "MethodNotAllowed", "DELETE a secret by name, without a version.");
                }
                authorize(r, scope, VaultActions.SECRET_DELETE);
                VaultItems.Deleted d = items.delete(VaultItemKind.SECRET, name);
                return ok("SecretDelete", scope, VaultJson.deleted(VaultJson.secret(r.baseUrl(), d.current(), null, items.policy()),
                        r.baseUrl(), VaultItemKind.SECRET, d));
            }
            default -> throw new VaultException(405, "MethodNotAllowed", "Method " + m + " is not allowed here.");
        }
    }

    // ------------------------------------------------------------------------------ keys

    private VaultResponse keys(VaultRequest r, String[] s) {
        String m = r.method();
        if (s.length == 1) {
            requireMethod(m, "GET");
            authorize(r, Scope.VAULT, VaultActions.KEY_READ);
            List<ObjectNode> all = new ArrayList<>();
            for (VaultVersion v : items.list(VaultItemKind.KEY)) {
                all.add(VaultJson.keyItem(r.baseUrl(), v, false, items.policy()));
            }
            return page(r, all, "KeyList", Scope.VAULT);
        }
        String name = VaultName.require(s[1]);
        String scope = scope(VaultItemKind.KEY, name);
        if (s.length == 3 && s[2].equals("versions")) {
            requireMethod(m, "GET");
            authorize(r, scope, VaultActions.KEY_READ);
            List<ObjectNode> all = new ArrayList<>();
            for (VaultVersion v : items.versions(VaultItemKind.KEY, name)) {
                all.add(VaultJson.keyItem(r.baseUrl(), v, true, items.policy()));
            }
            return page(r, all, "KeyListVersions", scope);
        }
        if (s.length == 3 && (s[2].equals("create") || s[2].equals("rotate"))) {
            requireMethod(m, "POST");
            if (s[2].equals("rotate")) {
                authorize(r, scope, VaultActions.KEY_ROTATE);
                return ok("KeyRotate", scope, VaultJson.key(r.baseUrl(), keys.rotate(name), items.policy()));
            }
            authorize(r, scope, VaultActions.KEY_CREATE);
            ObjectNode body = body(r);
            String kty = text(body, "kty").orElseThrow(() -> VaultException.badParameter("kty is required."));
            JsonNode size = body.get("key_size");
            if (size != null && !size.canConvertToInt()) {
                throw VaultException.badParameter("key_size must be a number.");
            }
            int keySize = size != null ? size.intValue() : (kty.startsWith("oct") ? 256 : 2048);
            Attrs a = attrs(body.get("attributes"));
            VaultVersion v = keys.create(name, new VaultKeys.NewKey(kty, keySize, a.enabled().orElse(true), a.nbf().orElse(Optional.empty()),
                    a.exp().orElse(Optional.empty()), tags(body.get("tags")).orElse(Map.of())));
            return ok("KeyCreate", scope, VaultJson.key(r.baseUrl(), v, items.policy()));
        }
        if (s.length == 4 && (s[3].equals("wrapkey") || s[3].equals("unwrapkey"))) {
            requireMethod(m, "POST");
            boolean wrap = s[3].equals("wrapkey");
            authorize(r, scope, wrap ? VaultActions.KEY_WRAP : VaultActions.KEY_UNWRAP);
            ObjectNode body = body(r);
            String alg = text(body, "alg").orElseThrow(() -> VaultException.badParameter("alg is required."));
            String value = text(body, "value").orElseThrow(() -> VaultException.badParameter("value is required."));
            byte[] input;
            try {
                input = Base64.getUrlDecoder().decode(value);
            } catch (IllegalArgumentException e) {
                throw VaultException.badParameter("value must be base64url.");
            }
            Optional<String> version = s[2].isEmpty() ? Optional.empty() : Optional.of(s[2]);
            // The kid names the version that did the work, not whatever is current a moment later.
            VaultKeys.Operation done = wrap ? keys.wrap(name, version, alg, input) : keys.unwrap(name, version, alg, input);
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.put("kid", r.baseUrl() + "/keys/" + done.used().name() + "/" + done.used().version());
            result.put("value", VaultJson.base64Url(done.value()));
            return ok(wrap ? "KeyWrap" : "KeyUnwrap", scope, result);
        }
        if (s.length > 3) {
            throw new VaultException(404, "NotFound", "No such vault path.");
        }
        Optional<String> version = s.length == 3 && !s[2].isEmpty() ? Optional.of(s[2]) : Optional.empty();
        switch (m) {
            case "GET" -> {
                authorize(r, scope, VaultActions.KEY_READ);
                return ok("KeyGet", scope, VaultJson.key(r.baseUrl(), items.get(VaultItemKind.KEY, name, version), items.policy()));
            }
            case "PATCH" -> {
                authorize(r, scope, VaultActions.KEY_UPDATE);
                ObjectNode body = body(r);
                Attrs a = attrs(body.get("attributes"));
                VaultVersion v = items.update(VaultItemKind.KEY, name, version,
                        new VaultItems.Update(a.enabled(), a.nbf(), a.exp(), tags(body.get("tags")), Optional.empty()));
                return ok("KeyUpdate", scope, VaultJson.key(r.baseUrl(), v, items.policy()));
            }
            case "DELETE" -> {
                if (version.isPresent()) {
                    throw new VaultException(405, "MethodNotAllowed", "DELETE a key by name, without a version.");
                }
                authorize(r, scope, VaultActions.KEY_DELETE);
                VaultItems.Deleted d = items.delete(VaultItemKind.KEY, name);
                return ok("KeyDelete", scope, VaultJson.deleted(VaultJson.key(r.baseUrl(), d.current(), items.policy()), r.baseUrl(),
                        VaultItemKind.KEY, d));
            }
            default -> throw new VaultException(405, "MethodNotAllowed", "Method " + m + " is not allowed here.");
        }
    }

    // ------------------------------------------------------------------------------ deleted items

    private VaultResponse deleted(VaultRequest r, String[] s, VaultItemKind kind) {
        String read = kind == VaultItemKind.SECRET ? VaultActions.SECRET_READ_METADATA : VaultActions.KEY_READ;
        String prefix = kind == VaultItemKind.SECRET ? "DeletedSecret" : "DeletedKey";
        if (s.length == 1) {
            requireMethod(r.method(), "GET");
            authorize(r, Scope.VAULT, read);
            List<ObjectNode> all = new ArrayList<>();
            for (VaultItems.Deleted d : items.listDeleted(kind)) {
                ObjectNode item = kind == VaultItemKind.SECRET ? VaultJson.secretItem(r.baseUrl(), d.current(), false, items.policy())
                        : VaultJson.keyItem(r.baseUrl(), d.current(), false, items.policy());
                all.add(VaultJson.deleted(item, r.baseUrl(), kind, d));
            }
            return page(r, all, prefix + "List", Scope.VAULT);
        }
        String name = VaultName.require(s[1]);
        String scope = scope(kind, name);
        if (s.length == 3 && s[2].equals("recover")) {
            requireMethod(r.method(), "POST");
            authorize(r, scope, kind == VaultItemKind.SECRET ? VaultActions.SECRET_RECOVER : VaultActions.KEY_RECOVER);
            VaultVersion v = items.recover(kind, name);
            return ok(prefix + "Recover", scope, kind == VaultItemKind.SECRET ? VaultJson.secret(r.baseUrl(), v, null, items.policy())
                    : VaultJson.key(r.baseUrl(), v, items.policy()));
        }
        if (s.length != 2) {
            throw new VaultException(404, "NotFound", "No such vault path.");
        }
        switch (r.method()) {
            case "GET" -> {
                authorize(r, scope, read);
                VaultItems.Deleted d = items.getDeleted(kind, name);
                ObjectNode body = kind == VaultItemKind.SECRET ? VaultJson.secret(r.baseUrl(), d.current(), null, items.policy())
                        : VaultJson.key(r.baseUrl(), d.current(), items.policy());
                return ok(prefix + "Get", scope, VaultJson.deleted(body, r.baseUrl(), kind, d));
            }
            case "DELETE" -> {
                authorize(r, scope, kind == VaultItemKind.SECRET ? VaultActions.SECRET_PURGE : VaultActions.KEY_PURGE);
                items.purge(kind, name);
                return new VaultResponse(204, "", prefix + "Purge", scope);
            }
            default -> throw new VaultException(405, "MethodNotAllowed", "Method " + r.method() + " is not allowed here.");
        }
    }

    // ------------------------------------------------------------------------------ helpers

    /** Key Vault's operation name for a method and path, e.g. {@code SecretGet}, {@code KeyWrap}; {@code VaultRequest} when unknown. */
    static String operationOf(String method, String[] s) {
        boolean key = s[0].equals("keys") || s[0].equals("deletedkeys");
        String noun = key ? "Key" : "Secret";
        if (s[0].startsWith("deleted")) {
            if (s.length == 1) {
                return "Deleted" + noun + "List";
            }
            if (s.length == 3 && s[2].equals("recover")) {
                return "Deleted" + noun + "Recover";
            }
            return "Deleted" + noun + (method.equals("DELETE") ? "Purge" : "Get");
        }
        if (!s[0].equals("keys") && !s[0].equals("secrets")) {
            return "VaultRequest";
        }
        if (s.length == 1) {
            return noun + "List";
        }
        if (s.length == 3 && s[2].equals("versions")) {
            return noun + "ListVersions";
        }
        if (key && s.length == 3 && s[2].equals("create")) {
            return "KeyCreate";
        }
        if (key && s.length == 3 && s[2].equals("rotate")) {
            return "KeyRotate";
        }
        if (key && s.length == 4) {
            return s[3].equals("wrapkey") ? "KeyWrap" : s[3].equals("unwrapkey") ? "KeyUnwrap" : "VaultRequest";
        }
        return noun + switch (method) {
            case "PUT" -> "Set";
            case "PATCH" -> "Update";
            case "DELETE" -> "Delete";
            default -> "Get";
        };
    }

    /** Item scopes use the lower-case name: Key Vault names ignore case, scopes do not. */
    static String scope(VaultItemKind kind, String name) {
        return Scope.VAULT + "/" + kind.collection() + "/" + name.toLowerCase(Locale.ROOT);
    }

    private void authorize(VaultRequest r, String scope, String dataAction) {
        Principal p = r.principal();
        if (p == null || !authorizer.permits(p, scope, dataAction)) {
            throw new VaultException(403, "Forbidden", "Caller is not authorized to perform action on resource.\r\n"
                    + "Caller: " + (p == null ? "anonymous" : p.describe()) + "\r\nAction: '" + dataAction + "'\r\nResource: '" + scope
                    + "'\r\nAssignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC'", "ForbiddenByRbac");
        }
    }

    private static void requireMethod(String method, String expected) {
        if (!expected.equals(method)) {
            throw new VaultException(405, "MethodNotAllowed", "Method " + method + " is not allowed here; use " + expected + ".");
        }
    }

    private static VaultResponse ok(String operation, String scope, ObjectNode body) {
        return new VaultResponse(200, body.toString(), operation, scope);
    }

    /** One page of a listing: {@code maxresults} (1-25) items from {@code $skiptoken}, with a nextLink while more remain. */
    private static VaultResponse page(VaultRequest r, List<ObjectNode> all, String operation, String scope) {
        int max = MAX_PAGE;
        String requested = r.query().get("maxresults");
        if (requested != null) {
            try {
                max = Integer.parseInt(requested);
            } catch (NumberFormatException e) {
                throw VaultException.badParameter("maxresults must be a number from 1 to " + MAX_PAGE + ".");
            }
            if (max < 1 || max > MAX_PAGE) {
                throw VaultException.badParameter("maxresults must be a number from 1 to " + MAX_PAGE + ".");
            }
        }
        int from = 0;
        String token = r.query().get("$skiptoken");
        if (token != null) {
            try {
                from = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw VaultException.badParameter("$skiptoken is not valid.");
            }
            if (from < 0 || from > all.size()) {
                throw VaultException.badParameter("$skiptoken is not valid.");
            }
        }
        int to = Math.min(all.size(), from + max);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode value = body.putArray("value");
        all.subList(from, to).forEach(value::add);
        if (to < all.size()) {
            body.put("nextLink", r.baseUrl() + r.path() + "?api-version=" + URLEncoder.encode(r.query().get("api-version"), StandardCharsets.UTF_8)
                    + "&$skiptoken=" + to + "&maxresults=" + max);
        } else {
            body.putNull("nextLink");
        }
        return new VaultResponse(200, body.toString(), operation, scope);
    }

    private static ObjectNode body(VaultRequest r) {
        if (r.body() == null || r.body().length == 0) {
            throw VaultException.badParameter("The request body is required.");
        }
        try {
            JsonNode n = JSON.readTree(r.body());
            if (n == null || !n.isObject()) {
                throw VaultException.badParameter("The request body must be a JSON object.");
            }
            if (!dev.bulwark.store.StorableText.wellFormed(n)) {
                throw VaultException.badParameter("The request body holds text that is not valid Unicode (an unpaired surrogate).");
            }
            return (ObjectNode) n;
        } catch (JsonProcessingException e) {
            throw VaultException.badParameter("The request body is not valid JSON.");
        } catch (java.io.IOException e) {
            throw VaultException.badParameter("The request body cannot be read.");
        }
    }

    private static Optional<String> text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw VaultException.badParameter(field + " must be a string.");
        }
        return Optional.of(n.textValue());
    }

    /** Parsed attributes: each field empty when absent; nbf/exp may be present and null (cleared). */
    private record Attrs(Optional<Boolean> enabled, Optional<Optional<Instant>> nbf, Optional<Optional<Instant>> exp) {
    }

    private static Attrs attrs(JsonNode n) {
        if (n == null || n.isNull()) {
            return new Attrs(Optional.empty(), Optional.empty(), Optional.empty());
        }
        if (!n.isObject()) {
            throw VaultException.badParameter("attributes must be an object.");
        }
        JsonNode enabled = n.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw VaultException.badParameter("attributes.enabled must be true or false.");
        }
        return new Attrs(enabled == null || enabled.isNull() ? Optional.empty() : Optional.of(enabled.booleanValue()),
                time(n, "nbf"), time(n, "exp"));
    }

    private static Optional<Optional<Instant>> time(JsonNode attributes, String field) {
        if (!attributes.has(field)) {
            return Optional.empty();
        }
        JsonNode t = attributes.get(field);
        if (t.isNull()) {
            return Optional.of(Optional.empty());
        }
        if (!t.canConvertToLong() || !t.isIntegralNumber()) {
            throw VaultException.badParameter("attributes." + field + " must be Unix seconds.");
        }
        return Optional.of(Optional.of(Instant.ofEpochSecond(t.longValue())));
    }

    private static Optional<Map<String, String>> tags(JsonNode n) {
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            throw VaultException.badParameter("tags must be an object of strings.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw VaultException.badParameter("tags must be an object of strings.");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        VaultItems.checkTags(out);
        return Optional.of(out);
    }

    /** Path segments; a trailing empty segment (as in {@code /secrets/name/}) names no version. */
    private static String[] segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        String[] s = p.split("/", -1);
        return s;
    }
}
