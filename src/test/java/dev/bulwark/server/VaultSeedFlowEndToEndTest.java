package dev.bulwark.server;

import dev.bulwark.identity.rbac.BuiltInRoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6's acceptance test: an application with a workload identity uses the Azure SDK SecretClient
 * to read an account's key from the built-in vault, then calls the Language API with it. The key is
 * stored with the admin token on the management listener (as the CLI does); the application gets
 * only Key Vault Secrets User on that one secret.
 */
class VaultSeedFlowEndToEndTest {

    @Test
    void anAppWithAWorkloadIdentityReadsItsKeyFromTheVaultWithSecretClientAndCallsLanguage(@TempDir Path dir) throws Exception {
        try (TestBulwark bulwark = new TestBulwark(dir.resolve("home"))) {
            String[] keys = bulwark.createAccount("seed-lang", "TextAnalytics");
            TestBulwark.Response created = bulwark.management("PUT", "/identities/seed-app", "");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String clientId = created.json().at("/properties/clientId").asText();
            String identitySecret = created.json().at("/properties/clientSecret").asText();

            TestBulwark.Response stored = bulwark.management("PUT", "/secrets/seed-lang-key?api-version=7.5",
                    "{\"value\":\"" + keys[0] + "\",\"contentType\":\"text/plain\",\"tags\":{\"account\":\"seed-lang\"}}");
            assertThat(stored.status()).as(stored.body()).isEqualTo(200);
            assertThat(stored.json().get("id").asText()).startsWith(bulwark.dataUrl() + "/secrets/seed-lang-key/");

            Path trustStore = trustStore(dir, bulwark);
            // No role yet: the vault refuses the identity (403), so the app fails before calling Language.
            assertThat(run(dir, bulwark, identitySecret, trustStore)).startsWith("ERR").contains("403");

            TestBulwark.Response assigned = bulwark.management("PUT", "/roleAssignments/" + UUID.randomUUID(),
                    "{\"properties\":{\"roleDefinitionId\":\"" + BuiltInRoles.KEY_VAULT_SECRETS_USER.id() + "\",\"principalId\":\""
                            + clientId + "\",\"principalType\":\"ServicePrincipal\",\"scope\":\"/vault/secrets/seed-lang-key\"}}");
            assertThat(assigned.status()).as(assigned.body()).isIn(200, 201);

            assertThat(run(dir, bulwark, identitySecret, trustStore)).isEqualTo("OK seed-lang-key nl");
        }
    }

    /**
     * With a base domain, the vault at {@code <name>.vault.<base domain>} challenges for the resource
     * {@code https://vault.<base domain>}, which the SDK's host check accepts: the application code is
     * exactly what it would be for Azure. The child JVM resolves the vault host through a hosts file
     * (what DNS does in a deployment).
     */
    @Test
    void withABaseDomainSecretClientWorksWithoutAnyClientChange(@TempDir Path dir) throws Exception {
        try (TestBulwark bulwark = new TestBulwark(dir.resolve("home"), Map.of("BULWARK_BASE_DOMAIN", "bulwark.test"))) {
            String[] keys = bulwark.createAccount("seed-lang", "TextAnalytics");
            TestBulwark.Response created = bulwark.management("PUT", "/identities/seed-app", "");
            String clientId = created.json().at("/properties/clientId").asText();
            String identitySecret = created.json().at("/properties/clientSecret").asText();
            assertThat(bulwark.management("PUT", "/secrets/seed-lang-key?api-version=7.5", "{\"value\":\"" + keys[1] + "\"}").status())
                    .isEqualTo(200);
            TestBulwark.Response assigned = bulwark.management("PUT", "/roleAssignments/" + UUID.randomUUID(),
                    "{\"properties\":{\"roleDefinitionId\":\"" + BuiltInRoles.KEY_VAULT_SECRETS_USER.id() + "\",\"principalId\":\""
                            + clientId + "\",\"principalType\":\"ServicePrincipal\",\"scope\":\"/vault\"}}");
            assertThat(assigned.status()).as(assigned.body()).isIn(200, 201);
            Path hosts = dir.resolve("hosts");
            Files.writeString(hosts, "127.0.0.1 localhost seed.vault.bulwark.test\n");
            String vaultUrl = "https://seed.vault.bulwark.test:" + bulwark.bulwark().dataPort();
            // The same unchanged client aimed at a host outside vault.<base domain> is stopped by the SDK's own check.
            assertThat(run(dir, bulwark, identitySecret, trustStore(dir, bulwark), bulwark.dataUrl(), "unchanged",
                    "-Djdk.net.hosts.file=" + hosts)).startsWith("ERR").contains("does not match the requested domain");
            assertThat(run(dir, bulwark, identitySecret, trustStore(dir, bulwark), vaultUrl, "unchanged", "-Djdk.net.hosts.file=" + hosts))
                    .isEqualTo("OK seed-lang-key nl");
        }
    }

    static Path trustStore(Path dir, TestBulwark bulwark) throws Exception {
        Path trustStore = Files.createTempFile(dir, "trust", ".p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("bulwark", bulwark.certificate());
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            ks.store(out, "changeit".toCharArray());
        }
        return trustStore;
    }

    private static String run(Path dir, TestBulwark bulwark, String identityHeader, Path trustStore) throws Exception {
        return run(dir, bulwark, identityHeader, trustStore, bulwark.dataUrl(), "verify-off", "-Dbulwark.probe=vault");
    }

    private static String run(Path dir, TestBulwark bulwark, String identityHeader, Path trustStore, String vaultUrl, String mode,
                              String property) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, property, "-Djavax.net.ssl.trustStore=" + trustStore,
                "-Djavax.net.ssl.trustStorePassword=changeit", "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-cp", System.getProperty("java.class.path"), VaultSeedProbe.class.getName(),
                vaultUrl, bulwark.endpoint("seed-lang"), "seed-lang-key", mode));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("MSI_") || k.startsWith("IDENTITY_") || k.startsWith("IMDS_"));
        env.put("IDENTITY_ENDPOINT", bulwark.dataUrl() + "/msi/token");
        env.put("IDENTITY_HEADER", identityHeader);
        Path log = Files.createTempFile(dir, "probe", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe did not finish: " + Files.readString(log));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        return out.lines().filter(l -> l.startsWith("OK ") || l.startsWith("ERR ")).findFirst().orElse("NO OUTPUT: " + out);
    }
}
