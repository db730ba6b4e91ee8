package dev.bulwark.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.Iterator;
import java.util.Set;

/**
 * ARM-shaped deployment bodies, with Azure's field names where Azure has them ({@code sku},
 * {@code properties.model}, {@code properties.rateLimits}) and Bulwark's own {@code properties.upstream}:
 *
 * <pre>{"sku":{"name":"Standard","capacity":10},
 *  "properties":{"model":{"format":"OpenAI","name":"llama3"},
 *                "upstream":{"baseUrl":"http://10.0.0.5:8000/v1","credential":"env:VLLM_KEY",
 *                            "connectTimeoutSeconds":10,"timeoutSeconds":60},
 *                "rateLimits":[{"key":"request","renewalPeriod":60,"count":600},{"key":"token","renewalPeriod":60,"count":100000}],
 *                "inlineRemoteImages":false}}</pre>
 *
 * Unknown fields are refused (a misspelt limit must not silently mean "no limit"); the read-only
 * fields a client echoes back from a GET are ignored. Answers carry the credential's reference and
 * its status, never a resolved value (this class never sees one).
 */
public final class DeploymentJson {
    public static final String TYPE = "Microsoft.CognitiveServices/accounts/deployments";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bulwark counts per minute; a limit over another period would be silently different. */
    static final int RENEWAL_PERIOD_SECONDS = 60;

    private static final Set<String> TOP_LEVEL = Set.of("sku", "properties");
    private static final Set<String> TOP_LEVEL_READ_ONLY = Set.of("id", "name", "type", "etag", "systemData");
    private static final Set<String> PROPERTIES = Set.of("model", "upstream", "rateLimits", "inlineRemoteImages");
    private static final Set<String> PROPERTIES_READ_ONLY = Set.of("provisioningState", "credentialStatus");

    private DeploymentJson() {
    }

    public static DeploymentSpec parsePut(String name, JsonNode body) {
        ObjectNode o = object(body, "the request body");
        only(o, TOP_LEVEL, TOP_LEVEL_READ_ONLY, "");
        if (o.has("name") && !name.equals(o.get("name").asText())) {
            throw invalid("name in the body differs from the name in the path ('" + name + "')");
        }
        String skuName = DeploymentSpec.DEFAULT_SKU;
        Integer capacity = null;
        if (o.hasNonNull("sku")) {
            ObjectNode sku = object(o.get("sku"), "sku");
            only(sku, Set.of("name", "capacity"), Set.of(), "sku.");
            skuName = text(sku, "name", "sku.name", DeploymentSpec.DEFAULT_SKU);
            if (sku.hasNonNull("capacity")) {
                capacity = integer(sku.get("capacity"), "sku.capacity", "InvalidSku");
            }
        }
        ObjectNode p = object(o.get("properties"), "properties");
        only(p, PROPERTIES, PROPERTIES_READ_ONLY, "properties.");

        ObjectNode model = object(p.get("model"), "properties.model");
        only(model, Set.of("format", "name", "version"), Set.of(), "properties.model.");
        String format = text(model, "format", "properties.model.format", DeploymentSpec.DEFAULT_MODEL_FORMAT);
        String modelName = text(model, "name", "properties.model.name", null);
        if (modelName == null) {
            throw new DeploymentValidationException("InvalidModel", "properties.model.name (the upstream's model) is required");
        }
        String version = text(model, "version", "properties.model.version", null);

        ObjectNode upstream = object(p.get("upstream"), "properties.upstream");
        only(upstream, Set.of("baseUrl", "credential", "connectTimeoutSeconds", "timeoutSeconds"), Set.of(), "properties.upstream.");
        JsonNode base = upstream.get("baseUrl");
        if (base == null || !base.isTextual()) {
            throw new DeploymentValidationException("InvalidUpstreamUrl", "properties.upstream.baseUrl is required, as a string");
        }
        URI url = UpstreamUrl.parse(base.asText());
        JsonNode cred = upstream.get("credential");
        String credential = null;
        if (cred != null && !cred.isNull()) {
            if (!cred.isTextual()) {
                throw new DeploymentValidationException("InvalidCredentialReference",
                        "properties.upstream.credential must be a string: a secret reference (env:NAME or file:/absolute/path)");
            }
            credential = cred.asText();
        }
        int connectMs = seconds(upstream, "connectTimeoutSeconds", DeploymentSpec.DEFAULT_CONNECT_TIMEOUT_MS);
        int timeoutMs = seconds(upstream, "timeoutSeconds", DeploymentSpec.DEFAULT_TIMEOUT_MS);

        int rpm = 0;
        int tpm = 0;
        if (p.hasNonNull("rateLimits")) {
            int[] limits = rateLimits(p.get("rateLimits"));
            rpm = limits[0];
            tpm = limits[1];
        } else if (capacity != null) {
            // Azure's rule for a capacity without explicit limits.
            rpm = DeploymentSpec.requestsPerMinuteFor(Math.min(capacity, DeploymentSpec.MAX_CAPACITY));
            tpm = DeploymentSpec.tokensPerMinuteFor(Math.min(capacity, DeploymentSpec.MAX_CAPACITY));
        }
        boolean inline = false;
        JsonNode inlineNode = p.get("inlineRemoteImages");
        if (inlineNode != null && !inlineNode.isNull()) {
            // Only a JSON boolean: "true" or 1 must not be guessed at for a setting that changes what leaves the network.
            if (!inlineNode.isBoolean()) {
                throw invalid("properties.inlineRemoteImages must be true or false");
            }
            inline = inlineNode.booleanValue();
        }
        return new DeploymentSpec(skuName, capacity, format, modelName, version, url, credential, connectMs, timeoutMs, rpm, tpm, inline);
    }

    /** The ARM-shaped deployment; {@code credentialStatus} is {@link DeploymentService#credentialStatus}. */
    public static ObjectNode render(Deployment d, String credentialStatus) {
        DeploymentSpec s = d.spec();
        ObjectNode o = JSON.createObjectNode();
        o.put("id", d.resourceId());
        o.put("name", d.name());
        o.put("type", TYPE);
        ObjectNode sku = o.putObject("sku");
        sku.put("name", s.skuName());
        if (s.skuCapacity() != null) {
            sku.put("capacity", s.skuCapacity());
        }
        ObjectNode p = o.putObject("properties");
        ObjectNode model = p.putObject("model");
        model.put("format", s.modelFormat());
        model.put("name", s.model());
        if (s.modelVersion() != null) {
            model.put("version", s.modelVersion());
        }
        ObjectNode upstream = p.putObject("upstream");
        upstream.put("baseUrl", s.upstream().toString());
        if (s.credential() != null) {
            upstream.put("credential", s.credential());
        }
        upstream.put("connectTimeoutSeconds", s.connectTimeoutMs() / 1000);
        upstream.put("timeoutSeconds", s.timeoutMs() / 1000);
        ArrayNode limits = p.putArray("rateLimits");
        // 0 means "no limit": such a limit is left out rather than shown as a count of 0 (which reads as "nothing allowed").
        if (s.requestsPerMinute() > 0) {
            limits.addObject().put("key", "request").put("renewalPeriod", RENEWAL_PERIOD_SECONDS).put("count", s.requestsPerMinute());
        }
        if (s.tokensPerMinute() > 0) {
            limits.addObject().put("key", "token").put("renewalPeriod", RENEWAL_PERIOD_SECONDS).put("count", s.tokensPerMinute());
        }
        p.put("inlineRemoteImages", s.inlineRemoteImages());
        p.put("provisioningState", "Succeeded");
        p.put("credentialStatus", credentialStatus);
        ObjectNode system = o.putObject("systemData");
        system.put("createdAt", d.createdAt().toString());
        system.put("lastModifiedAt", d.updatedAt().toString());
        return o;
    }

    /** {requests per minute, tokens per minute}; a key left out means no limit. */
    private static int[] rateLimits(JsonNode n) {
        if (!n.isArray()) {
            throw new DeploymentValidationException("InvalidRateLimit", "properties.rateLimits must be an array");
        }
        int[] out = new int[2];
        boolean[] seen = new boolean[2];
        for (JsonNode e : n) {
            ObjectNode limit = object(e, "each entry of properties.rateLimits");
            only(limit, Set.of("key", "renewalPeriod", "count"), Set.of(), "properties.rateLimits[].");
            String key = text(limit, "key", "properties.rateLimits[].key", null);
            int slot = "request".equals(key) ? 0 : "token".equals(key) ? 1 : -1;
            if (slot < 0) {
                throw new DeploymentValidationException("InvalidRateLimit", "properties.rateLimits[].key must be 'request' or 'token'");
            }
            if (seen[slot]) {
                throw new DeploymentValidationException("InvalidRateLimit", "properties.rateLimits has two '" + key + "' entries");
            }
            seen[slot] = true;
            if (limit.hasNonNull("renewalPeriod")
                    && integer(limit.get("renewalPeriod"), "properties.rateLimits[].renewalPeriod", "InvalidRateLimit") != RENEWAL_PERIOD_SECONDS) {
                throw new DeploymentValidationException("InvalidRateLimit",
                        "properties.rateLimits[].renewalPeriod must be " + RENEWAL_PERIOD_SECONDS + " (Bulwark counts per minute)");
            }
            if (!limit.has("count")) {
                throw new DeploymentValidationException("InvalidRateLimit", "properties.rateLimits[].count is required");
            }
            out[slot] = integer(limit.get("count"), "properties.rateLimits[].count", "InvalidRateLimit");
            if (out[slot] < 0) {
                throw new DeploymentValidationException("InvalidRateLimit", "properties.rateLimits[].count must be 0 (no limit) or more");
            }
        }
        return out;
    }

    private static int seconds(ObjectNode o, String field, int defaultMs) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return defaultMs;
        }
        int s = integer(n, "properties.upstream." + field, "InvalidTimeout");
        if (s < 1 || s > DeploymentSpec.MAX_TIMEOUT_SECONDS) {
            throw new DeploymentValidationException("InvalidTimeout",
                    "properties.upstream." + field + " must be between 1 and " + DeploymentSpec.MAX_TIMEOUT_SECONDS + " seconds");
        }
        return s * 1000;
    }

    private static int integer(JsonNode n, String what, String code) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new DeploymentValidationException(code, what + " must be a whole number");
        }
        return n.intValue();
    }

    private static String text(ObjectNode o, String field, String what, String defaultValue) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return defaultValue;
        }
        if (!n.isTextual()) {
            throw invalid(what + " must be a string");
        }
        return n.asText();
    }

    private static ObjectNode object(JsonNode n, String what) {
        if (n == null || !n.isObject()) {
            throw invalid(what + " must be a JSON object");
        }
        return (ObjectNode) n;
    }

    private static void only(ObjectNode o, Set<String> allowed, Set<String> ignored, String prefix) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f) && !ignored.contains(f)) {
                throw invalid("unknown field '" + prefix + f + "'");
            }
        }
    }

    private static DeploymentValidationException invalid(String message) {
        return new DeploymentValidationException("InvalidRequestContent", message);
    }
}
