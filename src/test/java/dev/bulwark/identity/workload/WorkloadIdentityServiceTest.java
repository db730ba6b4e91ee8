package dev.bulwark.identity.workload;

import dev.bulwark.testing.MutableClock;
import dev.bulwark.identity.workload.WorkloadIdentityService.SecretCheck;
import dev.bulwark.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadIdentityServiceTest {
    @TempDir
    Path dir;
    Database db;
    MutableClock clock;
    WorkloadIdentityService service;

    @BeforeEach
    void open() {
        db = WorkloadFixtures.database(dir);
        clock = new MutableClock();
        service = WorkloadFixtures.service(db, clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static boolean valid(SecretCheck c) {
        return c instanceof SecretCheck.Valid;
    }

    private static String reason(SecretCheck c) {
        return ((SecretCheck.Invalid) c).reason();
    }

    @Test
    void createIssuesASecretOnceThatAuthenticatesByIdByNameAndAlone() {
        var created = service.create("batch-job", Optional.empty(), true);
        String secret = created.secret().orElseThrow().reveal();
        WorkloadIdentity id = created.identity();
        assertThat(id.name()).isEqualTo("batch-job");
        assertThat(id.currentSecret()).isPresent();
        assertThat(id.publicKey()).isEmpty();
        assertThat(id.principal().identityId()).isEqualTo(id.clientId());

        assertThat(service.checkSecret(id.clientId(), secret)).isEqualTo(new SecretCheck.Valid(id, false));
        assertThat(valid(service.checkSecret("batch-job", secret))).isTrue();
        assertThat(valid(service.checkSecret(secret))).isTrue();
        assertThat(((SecretCheck.Valid) service.checkSecret(secret)).identity().id()).isEqualTo(id.id());
    }

    @Test
    void wrongMalformedOrForeignSecretsAreRefusedWithAReasonForTheAuditRecord() {
        var a = service.create("alpha", Optional.empty(), true);
        var b = service.create("bravo", Optional.empty(), true);
        String aSecret = a.secret().orElseThrow().reveal();
        String bSecret = b.secret().orElseThrow().reveal();

        assertThat(reason(service.checkSecret(a.identity().clientId(), bSecret))).isEqualTo("wrong client secret");
        assertThat(reason(service.checkSecret(a.identity().clientId(), ClientSecretFormat.generate().reveal()))).isEqualTo("wrong client secret");
        assertThat(reason(service.checkSecret(a.identity().clientId(), aSecret.substring(0, 53) + (aSecret.charAt(53) == 'x' ? "y" : "x")))).isEqualTo("malformed client secret");
        assertThat(reason(service.checkSecret("00000000-0000-0000-0000-000000000000", aSecret))).isEqualTo("unknown client");
        assertThat(reason(service.checkSecret("no-such-identity", aSecret))).isEqualTo("unknown client");
        assertThat(reason(service.checkSecret("Not A Name", aSecret))).isEqualTo("unknown client");
        assertThat(reason(service.checkSecret(ClientSecretFormat.generate().reveal()))).isEqualTo("unknown client secret");
        assertThat(reason(service.checkSecret("bwcs_short"))).isEqualTo("malformed client secret");
    }

    @Test
    void anIdentityWithOnlyAPublicKeyHasNoSecret() throws Exception {
        var created = service.create("keyed", Optional.of(WorkloadFixtures.ecKey().toPublicJWK().toJSONString()), false);
        assertThat(created.secret()).isEmpty();
        assertThat(created.identity().currentSecret()).isEmpty();
        assertThat(created.identity().publicKey()).isPresent();
        assertThat(service.get("keyed").publicKey().orElseThrow().thumbprint())
                .isEqualTo(created.identity().publicKey().orElseThrow().thumbprint());
    }

    @Test
    void anIdentityNeedsASecretOrAKey() {
        assertThatThrownBy(() -> service.create("empty", Optional.empty(), false))
                .isInstanceOf(WorkloadIdentityValidationException.class).hasMessageContaining("secret");
        assertThat(service.list()).isEmpty();
    }

    @Test
    void namesAreDnsLabelsThatCannotLookLikeClientIds() {
        for (String bad : new String[] {"UPPER", "-dash", "dash-", "a", "x".repeat(64), "under_score", "dot.ted", "",
                "3f2504e0-4f89-11d3-9a0c-0305e82c3301"}) {
            assertThatThrownBy(() -> service.create(bad, Optional.empty(), true)).as(bad)
                    .isInstanceOf(WorkloadIdentityValidationException.class);
        }
        assertThat(service.list()).isEmpty();
    }

    @Test
    void aTakenNameIsAConflictAndKeepsTheFirstIdentity() {
        var first = service.create("dup", Optional.empty(), true);
        assertThatThrownBy(() -> service.create("dup", Optional.empty(), true)).isInstanceOf(WorkloadIdentityConflictException.class);
        assertThat(service.get("dup").id()).isEqualTo(first.identity().id());
        assertThat(valid(service.checkSecret(first.secret().orElseThrow().reveal()))).isTrue();
    }

    @Test
    void getFindsByNameOrClientIdAndListIsSortedByName() {
        var z = service.create("zulu", Optional.empty(), true).identity();
        var a = service.create("alpha", Optional.empty(), true).identity();
        assertThat(service.get("zulu").id()).isEqualTo(z.id());
        assertThat(service.get(z.clientId()).name()).isEqualTo("zulu");
        assertThat(service.get(z.clientId().toUpperCase()).name()).isEqualTo("zulu");
        assertThat(service.list()).extracting(WorkloadIdentity::name).containsExactly("alpha", "zulu");
        assertThat(service.find("nobody")).isEmpty();
        assertThat(service.find("NOT valid")).isEmpty();
        assertThatThrownBy(() -> service.get("nobody")).isInstanceOf(WorkloadIdentityNotFoundException.class);
        assertThat(a.createdAt()).isEqualTo(clock.instant());
    }

    @Test
    void deleteRemovesTheIdentityAndEveryCredential() {
        var created = service.create("gone", Optional.empty(), true);
        String secret = created.secret().orElseThrow().reveal();
        service.regenerateSecret("gone", false);
        assertThat(service.delete("gone")).isTrue();
        assertThat(service.delete("gone")).isFalse();
        assertThat(service.find("gone")).isEmpty();
        assertThat(valid(service.checkSecret(secret))).isFalse();
        List<WorkloadIdentityStore.StoredSecret> left = db.read(c -> new WorkloadIdentityStore().allSecrets(c));
        assertThat(left).isEmpty();
    }

    @Test
    void afterRotationBothSecretsWorkUntilTheOverlapEnds() {
        var created = service.create("rotating", Optional.empty(), true);
        String oldSecret = created.secret().orElseThrow().reveal();
        String id = created.identity().clientId();

        clock.advance(Duration.ofMinutes(5));
        var rotated = service.regenerateSecret("rotating", false);
        String newSecret = rotated.secret().reveal();
        assertThat(newSecret).isNotEqualTo(oldSecret);
        assertThat(rotated.identity().previousSecret().orElseThrow().expiresAt())
                .contains(clock.instant().plus(WorkloadIdentityService.DEFAULT_PREVIOUS_SECRET_OVERLAP));

        assertThat(service.checkSecret(id, newSecret)).isEqualTo(new SecretCheck.Valid(service.get(id), false));
        assertThat(service.checkSecret(id, oldSecret)).isEqualTo(new SecretCheck.Valid(service.get(id), true));
        assertThat(valid(service.checkSecret(oldSecret))).isTrue();

        clock.advance(WorkloadIdentityService.DEFAULT_PREVIOUS_SECRET_OVERLAP.minusSeconds(1));
        assertThat(valid(service.checkSecret(id, oldSecret))).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(reason(service.checkSecret(id, oldSecret))).isEqualTo("wrong client secret");
        assertThat(reason(service.checkSecret(oldSecret))).isEqualTo("expired previous client secret");
        assertThat(valid(service.checkSecret(id, newSecret))).isTrue();
        assertThat(service.get(id).previousSecret()).isEmpty();
    }

    @Test
    void aSecondRotationDropsTheOlderPreviousSecretAtOnce() {
        String first = service.create("twice", Optional.empty(), true).secret().orElseThrow().reveal();
        String second = service.regenerateSecret("twice", false).secret().reveal();
        String third = service.regenerateSecret("twice", false).secret().reveal();
        assertThat(valid(service.checkSecret("twice", first))).isFalse();
        assertThat(valid(service.checkSecret("twice", second))).isTrue();
        assertThat(valid(service.checkSecret("twice", third))).isTrue();
    }

    @Test
    void revokePreviousStopsTheReplacedSecretBeforeReturning() {
        String leaked = service.create("leaky", Optional.empty(), true).secret().orElseThrow().reveal();
        var rotated = service.regenerateSecret("leaky", true);
        assertThat(valid(service.checkSecret("leaky", leaked))).isFalse();
        assertThat(valid(service.checkSecret(leaked))).isFalse();
        assertThat(rotated.identity().previousSecret()).isEmpty();
        assertThat(valid(service.checkSecret("leaky", rotated.secret().reveal()))).isTrue();
    }

    @Test
    void regeneratingGivesAKeyOnlyIdentityASecret() throws Exception {
        service.create("keyonly", Optional.of(WorkloadFixtures.ecKey().toPublicJWK().toJSONString()), false);
        var rotated = service.regenerateSecret("keyonly", false);
        assertThat(rotated.identity().previousSecret()).isEmpty();
        assertThat(valid(service.checkSecret("keyonly", rotated.secret().reveal()))).isTrue();
        assertThatThrownBy(() -> service.regenerateSecret("missing", false)).isInstanceOf(WorkloadIdentityNotFoundException.class);
    }

    @Test
    void thePublicKeyCanBeReplacedAndRemovedButNotTheLastCredential() throws Exception {
        service.create("rekey", Optional.of(WorkloadFixtures.ecKey().toPublicJWK().toJSONString()), true);
        String newKey = WorkloadFixtures.rsaKey(2048).toPublicJWK().toJSONString();
        assertThat(service.updatePublicKey("rekey", Optional.of(newKey)).publicKey().orElseThrow().jwk().getKeyType().getValue()).isEqualTo("RSA");
        assertThat(service.updatePublicKey("rekey", Optional.empty()).publicKey()).isEmpty();

        service.create("onlykey", Optional.of(WorkloadFixtures.ecKey().toPublicJWK().toJSONString()), false);
        assertThatThrownBy(() -> service.updatePublicKey("onlykey", Optional.empty()))
                .isInstanceOf(WorkloadIdentityValidationException.class);
        assertThat(service.get("onlykey").publicKey()).isPresent();
    }

    @Test
    void theComparisonLooksAtEverySlotEvenAfterAMatch() {
        byte[] presented = {1, 2, 3};
        AtomicInteger comparisons = new AtomicInteger();
        int match = WorkloadIdentityService.matchingSlot(presented, List.of(new byte[] {1, 2, 3}, new byte[] {9, 9, 9}),
                (a, b) -> {
                    comparisons.incrementAndGet();
                    return MessageDigest.isEqual(a, b);
                });
        assertThat(match).isZero();
        assertThat(comparisons).hasValue(2);
        assertThat(WorkloadIdentityService.matchingSlot(presented, List.of(new byte[] {9, 9, 9}, new byte[] {1, 2, 3}), MessageDigest::isEqual)).isOne();
        assertThat(WorkloadIdentityService.matchingSlot(presented, List.of(new byte[] {1, 2, 4}, new byte[] {0, 2, 3}), MessageDigest::isEqual)).isEqualTo(-1);
        assertThat(WorkloadIdentityService.matchingSlot(presented, List.of(), MessageDigest::isEqual)).isEqualTo(-1);
    }

    @Test
    void noFileUnderTheDatabaseDirectoryEverHoldsASecretInClear() throws Exception {
        List<String> secrets = new ArrayList<>();
        secrets.add(service.create("scan-a", Optional.empty(), true).secret().orElseThrow().reveal());
        secrets.add(service.create("scan-b", Optional.empty(), true).secret().orElseThrow().reveal());
        secrets.add(service.regenerateSecret("scan-a", false).secret().reveal());
        secrets.add(service.regenerateSecret("scan-b", true).secret().reveal());
        for (String s : secrets) {
            assertThat(valid(service.checkSecret(s)) || s.equals(secrets.get(1))).isTrue();
        }
        db.close();

        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(p -> p.getFileName().toString().equals("bulwark.db"));
        List<String> leaks = new ArrayList<>();
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            String latin1 = new String(content, StandardCharsets.ISO_8859_1);
            for (String s : secrets) {
                for (String form : List.of(s, s.substring(5, 48), Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII)),
                        HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII)))) {
                    if (latin1.contains(form)) {
                        leaks.add(f + " contains a secret");
                    }
                }
                if (new String(content, StandardCharsets.UTF_16LE).contains(s)) {
                    leaks.add(f + " contains a secret (UTF-16)");
                }
            }
        }
        assertThat(leaks).isEmpty();
        db = WorkloadFixtures.database(dir); // reopened for @AfterEach
    }

    @Test
    void theOverlapMustBeBounded() {
        var digest = dev.bulwark.crypto.KeyedDigest.forPurpose(WorkloadFixtures.masterKey(), WorkloadIdentityService.SECRET_DIGEST_PURPOSE);
        assertThatThrownBy(() -> new WorkloadIdentityService(db, digest, clock, Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkloadIdentityService(db, digest, clock, Duration.ofDays(31), () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyChangeRunsTheAfterChangeHook() {
        AtomicInteger changes = new AtomicInteger();
        var hooked = WorkloadIdentityService.create(db, WorkloadFixtures.masterKey(), clock, changes::incrementAndGet);
        hooked.create("hooked", Optional.empty(), true);
        hooked.regenerateSecret("hooked", false);
        hooked.delete("hooked");
        hooked.delete("hooked");
        assertThat(changes).hasValue(3);
    }
}
