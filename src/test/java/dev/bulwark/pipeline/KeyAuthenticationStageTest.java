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

import static org.assertj.core.api.Assertions.assertThat;

class KeyAuthenticationStageTest {
    private final KeyedDigest digest = new KeyedDigest(new byte[32]);
    private final KeyAuthenticationStage stage = new KeyAuthenticationStage(digest);
    private final String aliceKey1 = AccountKeyFormat.generate();
    private final String aliceKey2 = AccountKeyFormat.generate();
    private final String bobKey1 = AccountKeyFormat.generate();
    private final AccountView alice = AccountView.of("alice", AccountKind.TextAnalytics, false);
    private final AccountView locked = AccountView.of("locked", AccountKind.TextAnalytics, true);
    private final String lockedKey = AccountKeyFormat.generate();
    private final Snapshot snapshot = new Snapshot(1,
            Map.of("alice", alice, "bob", AccountView.of("bob", AccountKind.TextAnalytics, false), "locked", locked),
            Map.of(d(aliceKey1), new KeyBinding("alice", KeyName.KEY1, "id"), d(aliceKey2), new KeyBinding("alice", KeyName.KEY2, "id"),
                    d(bobKey1), new KeyBinding("bob", KeyName.KEY1, "id"), d(lockedKey), new KeyBinding("locked", KeyName.KEY1, "id")));

    private DigestKey d(String key) {
        return new DigestKey(digest.digestAscii(key));
    }

    private StageResult call(FakeHead head, AccountView account) {
        RequestContext c = RequestContext.start("rid", head, snapshot).withAccount(account, "/language/:analyze-text");
        return stage.apply(c);
    }

    private static void assertRefused(StageResult r, String reason) {
        assertThat(r).isInstanceOf(StageResult.Reject.class);
        Rejection rej = ((StageResult.Reject) r).rejection();
        assertThat(rej.status()).isEqualTo(401);
        assertThat(new String(rej.body())).contains("Access denied due to invalid subscription key or wrong API endpoint");
        assertThat(rej.reason()).isEqualTo(reason);
        assertThat(rej.audited()).isTrue();
    }

    @Test
    void eitherKeyInEitherHeaderAuthenticatesAsThatKey() {
        StageResult r1 = call(FakeHead.post("/").withHeader("Ocp-Apim-Subscription-Key", aliceKey1), alice);
        StageResult r2 = call(FakeHead.post("/").withHeader("api-key", aliceKey2), alice);
        assertThat(((StageResult.Next) r1).context().principal()).isEqualTo(new Principal.AccountKey("alice", KeyName.KEY1));
        assertThat(((StageResult.Next) r2).context().principal()).isEqualTo(new Principal.AccountKey("alice", KeyName.KEY2));
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        StageResult r = call(FakeHead.post("/").withHeader("OCP-APIM-SUBSCRIPTION-KEY", aliceKey1), alice);
        assertThat(r).isInstanceOf(StageResult.Next.class);
    }

    @Test
    void noKeyIsRefused() {
        assertRefused(call(FakeHead.post("/"), alice), "no key");
    }

    @Test
    void emptyKeyIsRefused() {
        assertRefused(call(FakeHead.post("/").withHeader("Ocp-Apim-Subscription-Key", ""), alice), "no key");
    }

    @Test
    void wellFormedButUnknownKeyIsRefused() {
        assertRefused(call(FakeHead.post("/").withHeader("api-key", AccountKeyFormat.generate()), alice), "unknown key");
    }

    @Test
    void keyWithBrokenChecksumIsRefusedBeforeLookup() {
        char last = aliceKey1.charAt(aliceKey1.length() - 1);
        String broken = aliceKey1.substring(0, aliceKey1.length() - 1) + (last == '0' ? '1' : '0');
        assertRefused(call(FakeHead.post("/").withHeader("api-key", broken), alice), "malformed key");
    }

    @Test
    void anotherAccountsKeyIsRefused() {
        assertRefused(call(FakeHead.post("/").withHeader("api-key", bobKey1), alice), "key of another account");
    }

    @Test
    void keyInTheWrongHeaderIsNotAccepted() {
        assertRefused(call(FakeHead.post("/").withHeader("Authorization", aliceKey1), alice), "no key");
        assertRefused(call(FakeHead.post("/").withHeader("X-Api-Key", aliceKey1), alice), "no key");
        assertRefused(call(FakeHead.post("/").withHeader("Subscription-Key", aliceKey1), alice), "no key");
    }

    @Test
    void repeatedOrContradictoryKeyHeadersAreRefused() {
        assertRefused(call(FakeHead.post("/").withHeader("api-key", aliceKey1).withHeader("api-key", aliceKey1), alice), "repeated key header");
        assertRefused(call(FakeHead.post("/").withHeader("api-key", AccountKeyFormat.generate())
                .withHeader("Ocp-Apim-Subscription-Key", aliceKey1), alice), "conflicting key headers");
    }

    @Test
    void keysAreRefusedWhenLocalAuthIsDisabled() {
        assertRefused(call(FakeHead.post("/").withHeader("api-key", lockedKey), locked), "key authentication is disabled for the account");
    }

    @Test
    void keyWithSurroundingWhitespaceOrJunkIsRefused() {
        assertRefused(call(FakeHead.post("/").withHeader("api-key", aliceKey1 + " "), alice), "malformed key");
        assertRefused(call(FakeHead.post("/").withHeader("api-key", "Bearer " + aliceKey1), alice), "malformed key");
        assertRefused(call(FakeHead.post("/").withHeader("api-key", aliceKey1 + aliceKey1), alice), "malformed key");
    }
}
