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
 * DefaultAzureCredential in an unchanged application, with IDENTITY_ENDPOINT and IDENTITY_HEADER
 * pointing at Bulwark, gets a workload identity's token and calls the Language API over TLS; without
 * a role assignment the same identity gets 403.
 */
class ManagedIdentityLanguageEndToEndTest {

    @Test
    void defaultAzureCredentialGetsAWorkloadTokenFromBulwarkAndCallsLanguage(@TempDir Path dir) throws Exception {
        try (TestBulwark bulwark = new TestBulwark(dir.resolve("home"))) {
            bulwark.createAccount("mi-lang", "TextAnalytics");
            TestBulwark.Response created = bulwark.management("PUT", "/identities/mi-app", "");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String clientId = created.json().at("/properties/clientId").asText();
            String secret = created.json().at("/properties/clientSecret").asText();

            Path trustStore = dir.resolve("trust.p12");
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("bulwark", bulwark.certificate());
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                ks.store(out, "changeit".toCharArray());
            }

            String noRole = run(dir, bulwark, secret, trustStore);
            assertThat(noRole).startsWith("ERR").contains("403");

            TestBulwark.Response assigned = bulwark.management("PUT", "/roleAssignments/" + UUID.randomUUID(),
                    "{\"properties\":{\"roleDefinitionId\":\"" + BuiltInRoles.COGNITIVE_SERVICES_USER.id() + "\",\"principalId\":\""
                            + clientId + "\",\"principalType\":\"ServicePrincipal\",\"scope\":\"/accounts/mi-lang\"}}");
            assertThat(assigned.status()).as(assigned.body()).isIn(200, 201);
            assertThat(run(dir, bulwark, secret, trustStore)).isEqualTo("OK nl");
            assertThat(run(dir, bulwark, "bwcs_wrong", trustStore)).startsWith("ERR");
            // Turning keys off leaves identities working.
            assertThat(bulwark.management("PATCH", "/accounts/mi-lang", "{\"properties\":{\"disableLocalAuth\":true}}").status()).isEqualTo(200);
            assertThat(run(dir, bulwark, secret, trustStore)).isEqualTo("OK nl");
        }
    }

    private static String run(Path dir, TestBulwark bulwark, String identityHeader, Path trustStore) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Djavax.net.ssl.trustStore=" + trustStore,
                "-Djavax.net.ssl.trustStorePassword=changeit", "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-cp", System.getProperty("java.class.path"), DefaultCredentialLanguageProbe.class.getName(),
                bulwark.endpoint("mi-lang")));
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
