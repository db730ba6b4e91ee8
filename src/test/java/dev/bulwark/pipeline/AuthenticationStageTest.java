package dev.bulwark.pipeline;

import dev.bulwark.account.AccountKeyFormat;
import dev.bulwark.account.AccountKind;
import dev.bulwark.account.KeyName;
import dev.bulwark.crypto.KeyedDigest;
import dev.bulwark.identity.Principal;
import dev.bulwark.snapshot.AccountView;
import dev.bulwark.snapshot.DigestKey;
import dev.bulwark.snapshot.KeyBinding;
import dev.bulwark.snapshot.Snapshot;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationStageTest {
    private final KeyedDigest digest = new KeyedDigest(new byte[32]);
    private final String key = AccountKeyFormat.generate();
    private final AccountView open = AccountView.of("open", AccountKind.TextAnalytics, false);
    private final AccountView locked = AccountView.of("locked", AccountKind.TextAnalytics, true);
    private final Snapshot snapshot = new Snapshot(1, Map.of("open", open, "locked", locked),
            Map.of(new DigestKey(digest.digestAscii(key)), new KeyBinding("open", KeyName.KEY1, "id")));
    private final Principal.User alice = new Principal.User("https://idp", "alice-oid", Set.of(), "Alice");

    /** A verifier double: "user" is Alice, "key-open"/"key-locked" are tokens exchanged for keys, the rest invalid. */
    private final BearerVerifier verifier = (token, account) -> switch (token) {
        case "user" -> new BearerVerifier.Verdict.Valid(alice);
        case "key-open" -> new BearerVerifier.Verdict.Valid(new Principal.AccountKey("open", KeyName.KEY1));
        case "key-locked" -> new BearerVerifier.Verdict.Valid(new Principal.AccountKey("locked", KeyName.KEY1));
        default -> new BearerVerifier.Verdict.Invalid("bad signature");
    };
    private final AuthenticationStage stage = new AuthenticationStage(new KeyAuthenticationStage(digest), verifier);

    private StageResult run(AccountView account, FakeHead head) {
        return stage.apply(RequestContext.start("r", head, snapshot).withAccount(account, "/x"));
    }

    private static String refusal(StageResult r) {
        Rejection rej = ((StageResult.Reject) r).rejection();
        assertThat(rej.status()).isEqualTo(401);
        return rej.reason();
    }

    @Test
    void aValidBearerTokenAuthenticatesItsPrincipal() {
        assertThat(((StageResult.Next) run(open, FakeHead.post("/").withHeader("Authorization", "Bearer user"))).context().principal()).isEqualTo(alice);
        assertThat(((StageResult.Next) run(open, FakeHead.post("/").withHeader("authorization", "bearer   user"))).context().principal()).isEqualTo(alice);
    }

    @Test
    void keysStillWorkWithoutAnAuthorizationHeader() {
        assertThat(run(open, FakeHead.post("/").withHeader("api-key", key))).isInstanceOf(StageResult.Next.class);
    }

    @Test
    void twoCredentialsAreRefused() {
        assertThat(refusal(run(open, FakeHead.post("/").withHeader("api-key", key).withHeader("Authorization", "Bearer user"))))
                .isEqualTo("more than one credential");
        assertThat(refusal(run(open, FakeHead.post("/").withHeader("Authorization", "Bearer user").withHeader("Authorization", "Bearer user"))))
                .isEqualTo("repeated Authorization header");
    }

    @Test
    void otherSchemesEmptyAndOversizedTokensAreRefused() {
        assertThat(refusal(run(open, FakeHead.post("/").withHeader("Authorization", "Basic dXNlcjpwYXNz")))).contains("not a bearer");
        assertThat(refusal(run(open, FakeHead.post("/").withHeader("Authorization", key)))).contains("not a bearer");
        assertThat(refusal(run(open, FakeHead.post("/").withHeader("Authorization", "Bearer ")))).isIn("empty bearer token", "Authorization is not a bearer token");
        assertThat(refusal(run(open, FakeHead.post("/").withHeader("Authorization", "Bearer " + "a".repeat(9000))))).isEqualTo("oversized bearer token");
        assertThat(refusal(run(open, FakeHead.post("/").withHeader("Authorization", "Bearer forged")))).isEqualTo("bad signature");
    }

    @Test
    void aTokenExchangedForAnotherAccountsKeyIsRefused() {
        assertThat(refusal(run(open, FakeHead.post("/").withHeader("Authorization", "Bearer key-locked")))).isEqualTo("token of another account");
    }

    @Test
    void disableLocalAuthRefusesKeysAndKeyTokensButNotIdentities() {
        assertThat(refusal(run(locked, FakeHead.post("/").withHeader("Authorization", "Bearer key-locked"))))
                .isEqualTo("key authentication is disabled for the account");
        assertThat(run(locked, FakeHead.post("/").withHeader("Authorization", "Bearer user"))).isInstanceOf(StageResult.Next.class);
    }
}
