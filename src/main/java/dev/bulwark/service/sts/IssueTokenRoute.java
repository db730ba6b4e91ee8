package dev.bulwark.service.sts;

import dev.bulwark.account.AccountKind;
import dev.bulwark.identity.Principal;
import dev.bulwark.identity.rbac.Actions;
import dev.bulwark.identity.token.TokenService;
import dev.bulwark.service.WorkerRoute;
import dev.bulwark.service.ServiceRequest;
import dev.bulwark.service.ServiceResponse;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code POST /sts/v1.0/issueToken}: a key in, a 10-minute token out ({@code text/plain}), as Azure's
 * token service answers. Only a key can be exchanged: a caller that authenticated with a token
 * (even one exchanged for a key) gets the same 401 as a wrong key, so tokens cannot be renewed
 * forever without the key.
 */
public final class IssueTokenRoute implements WorkerRoute {
    private static final byte[] UNAUTHORIZED = ("{\"error\":{\"code\":\"401\",\"message\":\""
            + dev.bulwark.pipeline.Rejection.ACCESS_DENIED_MESSAGE + "\"}}").getBytes(StandardCharsets.UTF_8);

    private final TokenService tokens;

    public IssueTokenRoute(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String path() {
        return "/sts/v1.0/issueToken";
    }

    @Override
    public Set<AccountKind> kinds() {
        return EnumSet.allOf(AccountKind.class);
    }

    @Override
    public String dataAction() {
        return Actions.TOKEN_ISSUE;
    }

    @Override
    public String operationName() {
        return "STS.IssueToken";
    }

    @Override
    public ServiceResponse handle(ServiceRequest request) {
        // One credential per request (the authentication stage refuses two), so a key header here
        // means the caller authenticated with the key itself, not with a token exchanged for it.
        boolean byKey = request.header("Ocp-Apim-Subscription-Key") != null || request.header("api-key") != null;
        if (!(request.principal() instanceof Principal.AccountKey key) || !byKey) {
            return new ServiceResponse(401, "application/json; charset=utf-8", UNAUTHORIZED);
        }
        String token = tokens.issueForAccountKey(request.account().name(), request.account().location(), key.keyName(),
                request.account().keyId(key.keyName()));
        return new ServiceResponse(200, "text/plain; charset=utf-8", token.getBytes(StandardCharsets.US_ASCII));
    }
}
