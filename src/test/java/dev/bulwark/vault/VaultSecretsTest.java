package dev.bulwark.vault;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VaultSecretsTest {
    @TempDir
    Path dir;
    VaultFixture vault;

    @AfterEach
    void close() {
        if (vault != null) {
            vault.close();
        }
    }

    private VaultFixture open(VaultPolicy policy) {
        vault = new VaultFixture(dir, policy);
        return vault;
    }

    private static VaultException refusal(Runnable r) {
        try {
            r.run();
        } catch (VaultException e) {
            return e;
        }
        throw new AssertionError("no VaultException");
    }

    @Test
    void everySetIsANewVersionAndTheLatestIsCurrentWhileOlderOnesStayReadable() {
        VaultFixture v = open(VaultPolicy.DEFAULT);
        VaultSecrets.Secret first = v.secrets.set("db-password", "one", VaultSecrets.NewSecret.plain());
        v.clock.advance(Duration.ofSeconds(5));
        VaultSecrets.Secret second = v.secrets.set("DB-Password", "two", VaultSecrets.NewSecret.plain());
        assertThat(second.version().name()).as("names ignore case and keep their first spelling").isEqualTo("db-password");
        assertThat(first.version().version()).isNotEqualTo(second.version().version()).matches("[0-9a-f]{32}");
        assertThat(v.secrets.get("db-password", Optional.empty()).value()).isEqualTo("two");
        assertThat(v.secrets.get("db-password", Optional.of(first.version().version())).value()).isEqualTo("one");
        assertThat(v.items.versions(VaultItemKind.SECRET, "db-password")).extracting(VaultVersion::version)
                .containsExactly(first.version().version(), second.version().version());
        assertThat(v.items.list(VaultItemKind.SECRET)).extracting(VaultVersion::version).containsExactly(second.version().version());
        assertThat(refusal(() -> v.secrets.get("db-password", Optional.of("0".repeat(32)))).status()).isEqualTo(404);
        assertThat(refusal(() -> v.secrets.get("missing", Optional.empty())).code()).isEqualTo("SecretNotFound");
    }

    @Test
    void aDisabledSecretIsForbiddenUntilEnabledAgain() {
        VaultFixture v = open(VaultPolicy.DEFAULT);
        VaultSecrets.Secret s = v.secrets.set("api", "value", VaultSecrets.NewSecret.plain());
        v.items.update(VaultItemKind.SECRET, "api", Optional.of(s.version().version()), VaultItems.Update.enabled(false));
        VaultException e = refusal(() -> v.secrets.get("api", Optional.empty()));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.code()).isEqualTo("Forbidden");
        assertThat(e.innerCode()).isEqualTo("SecretDisabled");
        assertThat(e.getMessage()).isEqualTo("Operation get is not allowed on a disabled secret.");
        v.items.update(VaultItemKind.SECRET, "api", Optional.empty(), VaultItems.Update.enabled(true));
        assertThat(v.secrets.get("api", Optional.empty()).value()).isEqualTo("value");
    }

    @Test
    void notBeforeAndExpiryBoundWhenTheValueCanBeRead() {
        VaultFixture v = open(VaultPolicy.DEFAULT);
        Instant now = v.items.now();
        v.secrets.set("windowed", "v", new VaultSecrets.NewSecret(Optional.empty(), true, Optional.of(now.plusSeconds(60)),
                Optional.of(now.plusSeconds(120)), Map.of()));
        assertThat(refusal(() -> v.secrets.get("windowed", Optional.empty())).innerCode()).isEqualTo("SecretNotYetValid");
        v.clock.advance(Duration.ofSeconds(60));
        assertThat(v.secrets.get("windowed", Optional.empty()).value()).isEqualTo("v");
        v.clock.advance(Duration.ofSeconds(60));
        assertThat(refusal(() -> v.secrets.get("windowed", Optional.empty())).innerCode()).isEqualTo("SecretExpired");
        assertThat(refusal(() -> v.secrets.set("bad-window", "v", new VaultSecrets.NewSecret(Optional.empty(), true,
                Optional.of(now.plusSeconds(10)), Optional.of(now), Map.of()))).code()).isEqualTo("BadParameter");
    }

    @Test
    void softDeleteHidesTheSecretBlocksItsNameAndRecoverBringsEveryVersionBack() {
        VaultFixture v = open(new VaultPolicy(7, false));
        VaultSecrets.Secret first = v.secrets.set("s", "1", VaultSecrets.NewSecret.plain());
        v.secrets.set("s", "2", VaultSecrets.NewSecret.plain());
        VaultItems.Deleted d = v.items.delete(VaultItemKind.SECRET, "s");
        assertThat(d.deleted().scheduledPurgeDate()).isEqualTo(d.deleted().deletedDate().plus(Duration.ofDays(7)));
        assertThat(refusal(() -> v.secrets.get("s", Optional.empty())).status()).isEqualTo(404);
        assertThat(v.items.list(VaultItemKind.SECRET)).isEmpty();
        assertThat(v.items.listDeleted(VaultItemKind.SECRET)).hasSize(1);
        VaultException conflict = refusal(() -> v.secrets.set("s", "3", VaultSecrets.NewSecret.plain()));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.code()).isEqualTo("Conflict");

        v.items.recover(VaultItemKind.SECRET, "s");
        assertThat(v.secrets.get("s", Optional.empty()).value()).isEqualTo("2");
        assertThat(v.secrets.get("s", Optional.of(first.version().version())).value()).isEqualTo("1");
        assertThat(v.items.listDeleted(VaultItemKind.SECRET)).isEmpty();
        assertThat(refusal(() -> v.items.recover(VaultItemKind.SECRET, "s")).status()).isEqualTo(404);
    }

    @Test
    void purgeRemovesForGoodAndFreesTheName() {
        VaultFixture v = open(VaultPolicy.DEFAULT);
        v.secrets.set("p", "old", VaultSecrets.NewSecret.plain());
        assertThat(refusal(() -> v.items.purge(VaultItemKind.SECRET, "p")).status()).as("only deleted items purge").isEqualTo(404);
        v.items.delete(VaultItemKind.SECRET, "p");
        v.items.purge(VaultItemKind.SECRET, "p");
        assertThat(refusal(() -> v.items.getDeleted(VaultItemKind.SECRET, "p")).status()).isEqualTo(404);
        assertThat(refusal(() -> v.items.recover(VaultItemKind.SECRET, "p")).status()).isEqualTo(404);
        v.secrets.set("p", "new", VaultSecrets.NewSecret.plain());
        assertThat(v.items.versions(VaultItemKind.SECRET, "p")).hasSize(1);
    }

    @Test
    void purgeProtectionRefusesPurgeButRetentionStillEndsIt() {
        VaultFixture v = open(new VaultPolicy(7, true));
        v.secrets.set("guarded", "x", VaultSecrets.NewSecret.plain());
        v.items.delete(VaultItemKind.SECRET, "guarded");
        VaultException e = refusal(() -> v.items.purge(VaultItemKind.SECRET, "guarded"));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.code()).isEqualTo("Forbidden");
        assertThat(v.items.getDeleted(VaultItemKind.SECRET, "guarded")).isNotNull();

        v.clock.advance(Duration.ofDays(7).minusSeconds(1));
        assertThat(v.items.purgeExpired()).isZero();
        assertThat(v.items.listDeleted(VaultItemKind.SECRET)).hasSize(1);
        v.clock.advance(Duration.ofSeconds(1));
        assertThat(v.items.listDeleted(VaultItemKind.SECRET)).as("reads treat an expired deleted item as gone").isEmpty();
        assertThat(v.items.purgeExpired()).isEqualTo(1);
        assertThat(v.items.purgeExpired()).isZero();
        assertThat(refusal(() -> v.items.recover(VaultItemKind.SECRET, "guarded")).status()).isEqualTo(404);
    }

    @Test
    void aNameWhoseRetentionRanOutIsReusableEvenBeforeThePurgeJob() {
        VaultFixture v = open(new VaultPolicy(7, true));
        v.secrets.set("lazy", "x", VaultSecrets.NewSecret.plain());
        v.items.delete(VaultItemKind.SECRET, "lazy");
        v.clock.advance(Duration.ofDays(8));
        v.secrets.set("lazy", "y", VaultSecrets.NewSecret.plain());
        assertThat(v.items.versions(VaultItemKind.SECRET, "lazy")).hasSize(1);
        assertThat(v.secrets.get("lazy", Optional.empty()).value()).isEqualTo("y");
    }

    @Test
    void retentionOutsideSevenToNinetyDaysIsRefused() {
        assertThatThrownBy(() -> new VaultPolicy(6, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VaultPolicy(91, false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(VaultPolicy.DEFAULT.retentionDays()).isEqualTo(90);
    }

    @Test
    void namesValuesAndTagsOutsideKeyVaultsLimitsAreBadParameters() {
        VaultFixture v = open(VaultPolicy.DEFAULT);
        for (String bad : new String[] {"", "has space", "under_score", "a".repeat(128), "dot.ted", "ünï"}) {
            assertThat(refusal(() -> v.secrets.set(bad, "x", VaultSecrets.NewSecret.plain())).code()).as(bad).isEqualTo("BadParameter");
        }
        v.secrets.set("a".repeat(127), "x", VaultSecrets.NewSecret.plain());
        v.secrets.set("max-size", "v".repeat(VaultSecrets.MAX_VALUE_BYTES), VaultSecrets.NewSecret.plain());
        assertThat(refusal(() -> v.secrets.set("too-big", "v".repeat(VaultSecrets.MAX_VALUE_BYTES + 1), VaultSecrets.NewSecret.plain()))
                .status()).isEqualTo(400);
        Map<String, String> tags = new java.util.HashMap<>();
        for (int i = 0; i < 16; i++) {
            tags.put("t" + i, "v");
        }
        assertThat(refusal(() -> v.secrets.set("tagged", "x", new VaultSecrets.NewSecret(Optional.empty(), true, Optional.empty(),
                Optional.empty(), tags))).status()).isEqualTo(400);
    }

    @Test
    void noPlaintextOfACanaryValueReachesTheDatabaseFile() throws Exception {
        VaultFixture v = open(VaultPolicy.DEFAULT);
        String canary = "CANARY-" + java.util.UUID.randomUUID();
        v.secrets.set("canary", canary, VaultSecrets.NewSecret.plain());
        v.secrets.set("canary", canary + "-2", VaultSecrets.NewSecret.plain());
        assertThat(v.secrets.get("canary", Optional.empty()).value()).isEqualTo(canary + "-2");
        v.db.close();
        byte[] file = Files.readAllBytes(v.dbFile);
        Path wal = dir.resolve("vault.db-wal");
        byte[] walBytes = Files.exists(wal) ? Files.readAllBytes(wal) : new byte[0];
        for (byte[] bytes : new byte[][] {file, walBytes}) {
            String latin = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(latin).doesNotContain("CANARY-");
        }
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).as("the name is stored, so the check reads the right file").contains("canary");
        vault = null;
    }

    @Test
    void aSealedValueMovedToAnotherSecretDoesNotOpen() throws Exception {
        VaultFixture v = open(VaultPolicy.DEFAULT);
        v.secrets.set("alpha", "secret-a", VaultSecrets.NewSecret.plain());
        v.secrets.set("beta", "secret-b", VaultSecrets.NewSecret.plain());
        v.db.inTransaction(c -> {
            try (var p = c.prepareStatement("UPDATE vault_versions SET sealed = (SELECT sealed FROM vault_versions v JOIN vault_items i "
                    + "ON v.item_id = i.id WHERE i.name = 'alpha') WHERE item_id = (SELECT id FROM vault_items WHERE name = 'beta')")) {
                return p.executeUpdate();
            }
        });
        assertThatThrownBy(() -> v.secrets.get("beta", Optional.empty())).isInstanceOf(dev.bulwark.crypto.CryptoException.class)
                .hasMessageNotContaining("secret-a");
    }

    @Test
    void toStringNeverShowsTheValue() {
        VaultFixture v = open(VaultPolicy.DEFAULT);
        VaultSecrets.Secret s = v.secrets.set("shown", "hidden-value-123", VaultSecrets.NewSecret.plain());
        assertThat(s.toString()).doesNotContain("hidden-value-123");
        assertThat(s.version().toString()).doesNotContain("hidden-value-123");
    }
}
