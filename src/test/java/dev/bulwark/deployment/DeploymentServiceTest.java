package dev.bulwark.deployment;

import dev.bulwark.account.Account;
import dev.bulwark.account.AccountKind;
import dev.bulwark.account.AccountNotFoundException;
import dev.bulwark.account.AccountProperties;
import dev.bulwark.account.AccountSnapshotLoader;
import dev.bulwark.account.AccountStore;
import dev.bulwark.snapshot.DeploymentView;
import dev.bulwark.snapshot.SnapshotHolder;
import dev.bulwark.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service over a real database, with the snapshot built by the production loader from an injected environment. */
class DeploymentServiceTest {
    private static final String SECRET = "vllm-secret-value-0123456789";

    @TempDir
    Path dir;
    Path home;
    Database db;
    SnapshotHolder snapshots;
    DeploymentService service;
    final List<LogRecord> logged = new ArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void open() throws Exception {
        home = Files.createDirectories(dir.resolve("home"));
        db = Database.openSqlite(home.resolve("bulwark.db"));
        snapshots = new SnapshotHolder(new AccountSnapshotLoader(db,
                new DeploymentSnapshotLoader(Map.of("VLLM_KEY", SECRET, "BAD_KEY", "line1\nline2"), home)));
        snapshots.refresh();
        service = new DeploymentService(db, snapshots, Clock.systemUTC());
        account("alpha");
        Logger.getLogger(DeploymentSnapshotLoader.class.getName()).addHandler(capture);
    }

    @AfterEach
    void close() {
        Logger.getLogger(DeploymentSnapshotLoader.class.getName()).removeHandler(capture);
        db.close();
    }

    private void account(String name) {
        Instant now = Instant.now();
        db.inTransaction(c -> {
            new AccountStore().insert(c, new Account(name, AccountKind.OpenAI, "westeurope", "S0", Map.of(), AccountProperties.DEFAULTS, now, now));
            return null;
        });
    }

    private static DeploymentSpec spec(String model, String credential) {
        return new DeploymentSpec("Standard", null, "OpenAI", model, null, URI.create("http://10.0.0.5:8000/v1"), credential,
                10_000, 60_000, 600, 100_000, false);
    }

    @Test
    void putCreatesThenReplacesWholeKeepingTheCreationTime() {
        DeploymentService.PutResult first = service.put("alpha", "gpt", spec("llama3", null));
        assertThat(first.created()).isTrue();
        DeploymentService.PutResult second = service.put("alpha", "gpt", spec("llama3.1", null));
        assertThat(second.created()).isFalse();
        Deployment d = service.get("alpha", "gpt");
        assertThat(d.spec().model()).isEqualTo("llama3.1");
        assertThat(d.createdAt()).isEqualTo(first.deployment().createdAt());
        assertThat(service.list("alpha")).extracting(Deployment::name).containsExactly("gpt");
        assertThat(snapshots.current().deployment("alpha", "gpt").model()).isEqualTo("llama3.1");

        assertThat(service.delete("alpha", "gpt")).isTrue();
        assertThat(service.delete("alpha", "gpt")).isFalse();
        assertThat(snapshots.current().deployment("alpha", "gpt")).isNull();
        assertThatThrownBy(() -> service.get("alpha", "gpt")).isInstanceOf(DeploymentNotFoundException.class);
    }

    @Test
    void theSnapshotCarriesTheResolvedCredentialAndTheQuota() {
        service.put("alpha", "gpt", spec("llama3", "env:VLLM_KEY"));
        DeploymentView v = snapshots.current().deployment("alpha", "gpt");
        assertThat(v.credential().reveal()).isEqualTo(SECRET);
        assertThat(v.credential().toString()).doesNotContain(SECRET);
        assertThat(v.credentialProblem()).isNull();
        assertThat(v.upstream()).isEqualTo(URI.create("http://10.0.0.5:8000/v1"));
        assertThat(v.requestsPerMinute()).isEqualTo(600);
        assertThat(v.tokensPerMinute()).isEqualTo(100_000);
        assertThat(v.connectTimeoutMs()).isEqualTo(10_000);
        assertThat(v.timeoutMs()).isEqualTo(60_000);
        assertThat(service.credentialStatus(service.get("alpha", "gpt"))).isEqualTo("ok");
    }

    @Test
    void aFileCredentialIsReadWhenTheSnapshotIsBuilt() throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("vllm"), SECRET + "\n");
        service.put("alpha", "gpt", spec("llama3", "file:" + secrets.resolve("vllm")));
        assertThat(snapshots.current().deployment("alpha", "gpt").credential().reveal()).isEqualTo(SECRET);
    }

    @Test
    void aReferenceThatDoesNotResolveLeavesEverythingElseWorking() {
        service.put("alpha", "good", spec("llama3", "env:VLLM_KEY"));
        service.put("alpha", "broken", spec("llama3", "env:NOT_SET_ANYWHERE"));
        DeploymentView broken = snapshots.current().deployment("alpha", "broken");
        assertThat(broken).isNotNull();
        assertThat(broken.credential()).isNull();
        assertThat(broken.credentialProblem()).isEqualTo("environment variable NOT_SET_ANYWHERE is not set or empty");
        assertThat(snapshots.current().deployment("alpha", "good").credential().reveal()).isEqualTo(SECRET);
        assertThat(snapshots.current().account("alpha")).isNotNull();
        assertThat(service.credentialStatus(service.get("alpha", "broken"))).contains("NOT_SET_ANYWHERE");
        assertThat(logged).anySatisfy(r -> assertThat(r.getMessage()).contains("alpha/broken").contains("env:NOT_SET_ANYWHERE"));
    }

    @Test
    void aValueNoHeaderCanCarryIsAProblemAndIsNeverLogged() {
        service.put("alpha", "gpt", spec("llama3", "env:BAD_KEY"));
        DeploymentView v = snapshots.current().deployment("alpha", "gpt");
        assertThat(v.credential()).isNull();
        assertThat(v.credentialProblem()).contains("env:BAD_KEY").doesNotContain("line1").doesNotContain("line2");
        assertThat(logged).isNotEmpty().allSatisfy(r -> assertThat(r.getMessage()).doesNotContain("line1").doesNotContain("line2"));
    }

    @Test
    void bulwarksOwnStateAndKernelFilesAreNotCredentials() throws Exception {
        Path adminToken = Files.writeString(home.resolve("admin-token"), "admin-secret-value");
        Path link = dir.resolve("innocent-looking");
        Files.createSymbolicLink(link, adminToken);
        service.put("alpha", "direct", spec("m", "file:" + adminToken));
        service.put("alpha", "linked", spec("m", "file:" + link));
        service.put("alpha", "environ", spec("m", "file:/proc/self/environ"));
        service.put("alpha", "zero", spec("m", "file:/dev/zero"));
        for (String name : List.of("direct", "linked", "environ", "zero")) {
            DeploymentView v = snapshots.current().deployment("alpha", name);
            assertThat(v.credential()).as(name).isNull();
            assertThat(v.credentialProblem()).as(name).isNotNull().doesNotContain("admin-secret-value");
        }
        assertThat(logged).allSatisfy(r -> assertThat(r.getMessage()).doesNotContain("admin-secret-value"));
    }

    @Test
    void deletingTheAccountDeletesItsDeploymentsSoANewAccountOfTheSameNameStartsEmpty() {
        service.put("alpha", "gpt", spec("llama3", null));
        db.inTransaction(c -> new AccountStore().delete(c, "alpha"));
        snapshots.refresh();
        assertThat(snapshots.current().deployments("alpha")).isEmpty();
        assertThatThrownBy(() -> service.list("alpha")).isInstanceOf(AccountNotFoundException.class);
        account("alpha");
        assertThat(service.list("alpha")).isEmpty();
    }

    @Test
    void anUnknownAccountOrABadNameIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> service.put("nobody", "gpt", spec("m", null))).isInstanceOf(AccountNotFoundException.class);
        assertThatThrownBy(() -> service.get("nobody", "gpt")).isInstanceOf(AccountNotFoundException.class);
        assertThatThrownBy(() -> service.delete("nobody", "gpt")).isInstanceOf(AccountNotFoundException.class);
        assertThatThrownBy(() -> service.put("alpha", "-bad", spec("m", null))).isInstanceOf(DeploymentValidationException.class);
        assertThat(service.list("alpha")).isEmpty();
    }

    @Test
    void aClockIsInjectedForTimestamps() {
        Instant t = Instant.parse("2026-01-02T03:04:05Z");
        DeploymentService fixed = new DeploymentService(db, snapshots, Clock.fixed(t, ZoneOffset.UTC));
        assertThat(fixed.put("alpha", "gpt", spec("m", null)).deployment().createdAt()).isEqualTo(t);
    }
}
