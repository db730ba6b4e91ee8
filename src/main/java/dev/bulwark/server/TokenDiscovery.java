package dev.bulwark.server;

import dev.bulwark.identity.token.TokenService;
import io.vertx.core.http.HttpServerRequest;

/**
 * The public, unauthenticated documents that let anyone verify Bulwark's tokens: OpenID discovery
 * for the issuer and its JWKS (public keys only). Served on the data plane before the pipeline,
 * because they name no account and need no credential.
 */
final class TokenDiscovery {
    static final String DISCOVERY_PATH = "/sts/.well-known/openid-configuration";
    static final String JWKS_PATH = "/sts/discovery/keys";

    private final TokenService tokens;

    TokenDiscovery(TokenService tokens) {
        this.tokens = tokens;
    }

    /** True when it answered the request. */
    boolean handle(HttpServerRequest request) {
        String path = request.path();
        if (!DISCOVERY_PATH.equals(path) && !JWKS_PATH.equals(path)) {
            return false;
        }
        var response = request.response();
        if (!"GET".equals(request.method().name())) {
            response.setStatusCode(405).putHeader("Allow", "GET").putHeader("Content-Type", "application/json; charset=utf-8")
                    .end("{\"error\":{\"code\":\"405\",\"message\":\"Method not allowed.\"}}");
            return true;
        }
        String body = JWKS_PATH.equals(path) ? tokens.jwksJson()
                : "{\"issuer\":\"" + tokens.issuer() + "\",\"jwks_uri\":\"" + tokens.issuer().replaceAll("/sts$", "") + JWKS_PATH
                + "\",\"id_token_signing_alg_values_supported\":[\"ES256\"],\"token_endpoint_auth_methods_supported\":[]}";
        response.setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "public, max-age=300").end(body);
        return true;
    }
}
