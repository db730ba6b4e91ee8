package dev.bulwark.pipeline;

import dev.bulwark.account.AccountKind;
import dev.bulwark.snapshot.AccountView;
import dev.bulwark.snapshot.Snapshot;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AccountResolutionStageTest {
    private static final dev.bulwark.crypto.KeyedDigest DIGEST = new dev.bulwark.crypto.KeyedDigest(new byte[32]);
    private final AccountView alice = AccountView.of("alice", AccountKind.TextAnalytics, false);
    private final Snapshot snapshot = new Snapshot(1, Map.of("alice", alice), Map.of());

    private StageResult run(AccountResolutionStage stage, FakeHead head) {
        return stage.apply(RequestContext.start("rid", head, snapshot));
    }

    @Test
    void pathPrefixNamesTheAccountAndTheRestIsTheServicePath() {
        StageResult r = run(new AccountResolutionStage(Optional.empty(), DIGEST), FakeHead.post("/accounts/alice/language/:analyze-text"));
        RequestContext c = ((StageResult.Next) r).context();
        assertThat(c.account()).isEqualTo(alice);
        assertThat(c.servicePath()).isEqualTo("/language/:analyze-text");
    }

    @Test
    void subdomainOfTheBaseDomainNamesTheAccount() {
        StageResult r = run(new AccountResolutionStage(Optional.of("ai.example.com"), DIGEST),
                FakeHead.post("/language/:analyze-text").withHost("alice.ai.example.com"));
        RequestContext c = ((StageResult.Next) r).context();
        assertThat(c.account()).isEqualTo(alice);
        assertThat(c.servicePath()).isEqualTo("/language/:analyze-text");
    }

    @Test
    void unknownAccountGetsTheSame401AsAWrongKey() {
        StageResult r = run(new AccountResolutionStage(Optional.empty(), DIGEST), FakeHead.post("/accounts/mallory/language/:analyze-text"));
        assertThat(((StageResult.Reject) r).rejection().status()).isEqualTo(401);
        StageResult weird = run(new AccountResolutionStage(Optional.empty(), DIGEST), FakeHead.post("/accounts/%61lice/x"));
        assertThat(((StageResult.Reject) weird).rejection().status()).isEqualTo(401);
        StageResult empty = run(new AccountResolutionStage(Optional.empty(), DIGEST), FakeHead.post("/accounts//x"));
        assertThat(((StageResult.Reject) empty).rejection().status()).isEqualTo(401);
    }

    @Test
    void hostHeaderIsIgnoredWithoutABaseDomain() {
        StageResult r = run(new AccountResolutionStage(Optional.empty(), DIGEST), FakeHead.post("/language/:analyze-text").withHost("alice.evil.com"));
        assertThat(((StageResult.Reject) r).rejection().status()).isEqualTo(404);
    }

    @Test
    void aHostThatOnlyEndsLikeTheBaseDomainDoesNotResolve() {
        StageResult r = run(new AccountResolutionStage(Optional.of("ai.example.com"), DIGEST),
                FakeHead.post("/x").withHost("alice.notai.example.com.evil"));
        assertThat(((StageResult.Reject) r).rejection().status()).isEqualTo(404);
        StageResult r2 = run(new AccountResolutionStage(Optional.of("ai.example.com"), DIGEST), FakeHead.post("/x").withHost("aliceai.example.com"));
        assertThat(r2).isInstanceOf(StageResult.Reject.class);
    }

    @Test
    void theGlobalTokenExchangeFindsTheAccountFromTheKey() {
        String key = dev.bulwark.account.AccountKeyFormat.generate();
        Snapshot withKey = new Snapshot(1, Map.of("alice", alice), Map.of(
                new dev.bulwark.snapshot.DigestKey(DIGEST.digestAscii(key)),
                new dev.bulwark.snapshot.KeyBinding("alice", dev.bulwark.account.KeyName.KEY2, "id")));
        AccountResolutionStage stage = new AccountResolutionStage(Optional.empty(), DIGEST);
        StageResult r = stage.apply(RequestContext.start("rid", FakeHead.post("/sts/v1.0/issueToken")
                .withHeader("Ocp-Apim-Subscription-Key", key), withKey));
        assertThat(((StageResult.Next) r).context().account()).isEqualTo(alice);
        assertThat(((StageResult.Next) r).context().servicePath()).isEqualTo("/sts/v1.0/issueToken");
        StageResult unknown = stage.apply(RequestContext.start("rid", FakeHead.post("/sts/v1.0/issueToken")
                .withHeader("Ocp-Apim-Subscription-Key", dev.bulwark.account.AccountKeyFormat.generate()), withKey));
        assertThat(((StageResult.Reject) unknown).rejection().status()).isEqualTo(401);
        StageResult none = stage.apply(RequestContext.start("rid", FakeHead.post("/sts/v1.0/issueToken"), withKey));
        assertThat(((StageResult.Reject) none).rejection().status()).isEqualTo(401);
    }
}
