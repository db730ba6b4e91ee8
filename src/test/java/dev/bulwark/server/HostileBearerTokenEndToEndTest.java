package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile bearer tokens against a running Bulwark, built from a real token of the account: every one
 * gets the same 401 and its own audit record, and the record never quotes the token.
 */
class HostileBearerTokenEndToEndTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @TempDir
    static Path home;
    static TestBulwark bulwark;
    static String token;
    static String otherAccountToken;
    static String jwks;

    @BeforeAll
    static void start() {
        bulwark = new TestBulwark(home);
        String[] keys = bulwark.createAccount("hostile-tokens", "TextAnalytics");
        String[] other = bulwark.createAccount("other-tokens", "TextAnalytics");
        token = issue(keys[0]);
        otherAccountToken = issue(other[0]);
        jwks = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/sts/discovery/keys")).GET().build()).body();
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    private static String issue(String key) {
        return bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/sts/v1.0/issueToken"))
                .header("Ocp-Apim-Subscription-Key", key).POST(HttpRequest.BodyPublishers.noBody()).build()).body();
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    private static String hs256(String signingInput, byte[] secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Map<String, String> hostileTokens() throws Exception {
        String[] p = token.split("\\.");
        String header = json(p[0]);
        String claims = json(p[1]);
        String kid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(header).get("kid").asText();
        Map<String, String> t = new LinkedHashMap<>();
        for (String alg : new String[] {"none", "None", "NONE", "nOnE"}) {
            t.put("alg " + alg, b64("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}") + "." + p[1] + ".");
        }
        t.put("stripped signature", p[0] + "." + p[1] + ".");
        t.put("signature of another token", p[0] + "." + p[1] + "." + otherAccountToken.split("\\.")[2]);
        t.put("HS256 keyed with the public JWKS", b64("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\"}") + "." + p[1] + "."
                + hs256(b64("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\"}") + "." + p[1], jwks.getBytes(StandardCharsets.UTF_8)));
        t.put("embedded jwk", b64(header.replace("}", ",\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}}")) + "." + p[1] + "." + p[2]);
        t.put("jku elsewhere", b64(header.replace("}", ",\"jku\":\"https://evil.example/jwks\"}")) + "." + p[1] + "." + p[2]);
        t.put("x5u elsewhere", b64(header.replace("}", ",\"x5u\":\"https://evil.example/cert\"}")) + "." + p[1] + "." + p[2]);
        t.put("crit header", b64(header.replace("}", ",\"crit\":[\"exp\"]}")) + "." + p[1] + "." + p[2]);
        t.put("kid path", b64(header.replace(kid, "../../etc/passwd")) + "." + p[1] + "." + p[2]);
        t.put("kid SQL", b64(header.replace(kid, "x' OR '1'='1")) + "." + p[1] + "." + p[2]);
        t.put("unknown kid", b64(header.replace(kid, "A" + kid.substring(1))) + "." + p[1] + "." + p[2]);
        t.put("payload changed (exp extended)", p[0] + "." + b64(claims.replaceFirst("\"exp\":(\\d+)", "\"exp\":9999999999")) + "." + p[2]);
        t.put("payload changed (other account)", p[0] + "." + b64(claims.replace("hostile-tokens", "other-tokens")) + "." + p[2]);
        t.put("all-zero signature", p[0] + "." + p[1] + "." + B64.encodeToString(new byte[64]));
        t.put("truncated signature", p[0] + "." + p[1] + "." + p[2].substring(0, 20));
        t.put("token of another account", otherAccountToken);
        t.put("JWE shape", p[0] + "." + p[1] + "." + p[2] + ".AAAA.AAAA");
        t.put("two segments", p[0] + "." + p[1]);
        t.put("garbage", "definitely-not-a-token");
        t.put("non-base64url characters", p[0] + "." + p[1] + "." + p[2] + "==");
        t.put("whitespace inside", p[0] + ". " + p[1] + "." + p[2]);
        t.put("oversized", p[0] + "." + "A".repeat(8500) + "." + p[2]);
        t.put("typ not JWT", b64(header.replace("}", ",\"typ\":\"JOSE+JSON\"}")) + "." + p[1] + "." + p[2]);
        t.put("duplicate alg in header", b64(header.replace("{", "{\"alg\":\"none\",")) + "." + p[1] + "." + p[2]);
        return t;
    }

    @Test
    void everyHostileTokenIs401WithItsOwnAuditRecord() throws Exception {
        Map<String, String> tokens = hostileTokens();
        assertThat(tokens).hasSizeGreaterThanOrEqualTo(25);
        List<String> notRefused = new ArrayList<>();
        for (var e : tokens.entrySet()) {
            TestBulwark.Response r = bulwark.send(HttpRequest.newBuilder(
                            URI.create(bulwark.endpoint("hostile-tokens") + "language/:analyze-text?api-version=2023-04-01"))
                    .header("Authorization", "Bearer " + e.getValue()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            if (r.status() != 401 || !r.body().contains("Access denied due to invalid subscription key")) {
                notRefused.add(e.getKey() + " -> " + r.status());
            }
        }
        assertThat(notRefused).isEmpty();
        // The genuine token still works, so each refusal above came from what was changed.
        assertThat(bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.endpoint("hostile-tokens") + "language/:analyze-text?api-version=2023-04-01"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":[{\"id\":\"1\",\"text\":\"hello world, how are you today?\"}]}}"))
                .build()).status()).isEqualTo(200);

        JsonNode audit = bulwark.management("GET", "/audit?account=hostile-tokens&operation=DataPlane/Authenticate&top=1000", null).json();
        assertThat(audit.get("value").size()).isEqualTo(tokens.size());
        String auditText = audit.toString();
        String signature = token.split("\\.")[2];
        assertThat(auditText).doesNotContain(signature).doesNotContain(token.split("\\.")[1]).doesNotContain("etc/passwd");
        for (JsonNode rec : audit.get("value")) {
            assertThat(rec.at("/properties/reason").asText()).isNotBlank();
            assertThat(rec.get("resultSignature").asText()).isEqualTo("401");
        }
    }
}
