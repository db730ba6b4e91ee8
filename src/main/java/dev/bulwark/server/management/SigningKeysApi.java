package dev.bulwark.server.management;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.identity.token.TokenService;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Bulwark's token signing keys: {@code GET /signingKeys} (public keys and the primary's id) and
 * {@code POST /signingKeys/rotate} (a new primary; the old key keeps verifying until its last token
 * expires, then is dropped).
 */
final class SigningKeysApi {
    static final String READ = "Bulwark/signingKeys/read";
    static final String ROTATE = "Bulwark/signingKeys/rotate/action";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenService tokens;

    SigningKeysApi(TokenService tokens) {
        this.tokens = tokens;
    }

    static String operationName(String method, String[] s) {
        return s.length == 2 && s[1].equals("rotate") ? ROTATE : READ;
    }

    ApiResponse handle(ApiRequest r) {
        String[] s = r.segments();
        if (s.length == 1 && r.method().equals("GET")) {
            return ApiResponse.json(200, describe(), "/signingKeys");
        }
        if (s.length == 2 && s[1].equals("rotate") && r.method().equals("POST")) {
            String before = tokens.primaryKeyId();
            tokens.rotateSigningKey();
            return ApiResponse.json(200, describe(), "/signingKeys")
                    .withAudit(java.util.Map.of("previousPrimaryKeyId", before, "primaryKeyId", tokens.primaryKeyId()));
        }
        return ApiResponse.error(s.length <= 2 ? 405 : 404, s.length <= 2 ? "MethodNotAllowed" : "NotFound",
                "use GET /signingKeys or POST /signingKeys/rotate", "/signingKeys");
    }

    private ObjectNode describe() {
        try {
            ObjectNode o = JSON.createObjectNode();
            o.put("issuer", tokens.issuer());
            o.put("primaryKeyId", tokens.primaryKeyId());
            o.set("jwks", JSON.readTree(tokens.jwksJson()));
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
