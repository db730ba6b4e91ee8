package dev.bulwark.identity.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import dev.bulwark.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Trusted-issuer configuration: the format, the defaults, and every bad value stopping the boot with a clear message. */
class TrustedIssuersTest {
    @TempDir
    Path dir;

    private static ConfigException refused(String text) {
        try {
            TrustedIssuers.parse(text);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted: " + text);
    }

    @Test
    void theFullFormatIsRead() throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, TestTls.localhost().certificatePem());
        TrustedIssuers issuers = TrustedIssuers.parse("""
                # Keycloak
                oidc.issuer.keycloak.url=https://login.example.com/realms/bulwark
                oidc.issuer.keycloak.audiences=https://cognitiveservices.azure.com, api://bulwark
                oidc.issuer.keycloak.principal-claims=sub
                oidc.issuer.keycloak.groups-claim=roles
                oidc.issuer.keycloak.algorithms=ES256,RS256
                oidc.issuer.keycloak.ca-certificate=%s
                oidc.issuer.keycloak.clock-leeway-seconds=30
                oidc.issuer.dev.url=http://127.0.0.1:8080/realms/dev
                oidc.issuer.dev.allow-insecure-loopback=true
                data.listen=0.0.0.0:8443
                """.formatted(ca));

        TrustedIssuer kc = issuers.find("https://login.example.com/realms/bulwark").orElseThrow();
        assertThat(kc.name()).isEqualTo("keycloak");
        assertThat(kc.audiences()).containsExactly("https://cognitiveservices.azure.com", "api://bulwark");
        assertThat(kc.principalClaims()).containsExactly("sub");
        assertThat(kc.groupsClaim()).isEqualTo("roles");
        assertThat(kc.algorithms()).containsExactlyInAnyOrder(JWSAlgorithm.ES256, JWSAlgorithm.RS256);
        assertThat(kc.caCertificates()).hasSize(1);
        assertThat(kc.clockLeeway()).isEqualTo(Duration.ofSeconds(30));
        assertThat(kc.allowInsecureLoopback()).isFalse();
        assertThat(kc.discoveryUrl()).hasToString("https://login.example.com/realms/bulwark/.well-known/openid-configuration");

        TrustedIssuer dev = issuers.find("http://127.0.0.1:8080/realms/dev").orElseThrow();
        assertThat(dev.allowInsecureLoopback()).isTrue();
        assertThat(issuers.all()).hasSize(2);
    }

    @Test
    void defaultsAreOidThenSubGroupsRs256Ps256Es256AndSixtySeconds() {
        TrustedIssuer i = TrustedIssuers.parse("oidc.issuer.entra.url=https://login.microsoftonline.com/tid/v2.0\n")
                .find("https://login.microsoftonline.com/tid/v2.0").orElseThrow();
        assertThat(i.audiences()).containsExactly("https://cognitiveservices.azure.com");
        assertThat(i.principalClaims()).containsExactly("oid", "sub");
        assertThat(i.groupsClaim()).isEqualTo("groups");
        assertThat(i.algorithms()).containsExactlyInAnyOrder(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
        assertThat(i.clockLeeway()).isEqualTo(Duration.ofSeconds(60));
        assertThat(i.caCertificatePem()).isEmpty();
    }

    @Test
    void fromPropertiesIgnoresOtherSettingsAndAnEmptyConfigTrustsNoOne() {
        Properties p = new Properties();
        p.setProperty("data.listen", "0.0.0.0:8443");
        assertThat(TrustedIssuers.fromProperties(p).isEmpty()).isTrue();
        assertThat(TrustedIssuers.isIssuerKey("oidc.issuer.x.url")).isTrue();
        assertThat(TrustedIssuers.isIssuerKey("data.listen")).isFalse();
        assertThat(TrustedIssuers.none().find("https://anything")).isEmpty();
        assertThat(TrustedIssuers.none().find(null)).isEmpty();
    }

    @Test
    void httpIsRefusedForAnythingButLoopbackWithTheExplicitFlag() {
        assertThat(refused("oidc.issuer.a.url=http://login.example.com/realms/x\n").getMessage())
                .contains("OIDC issuer", "'a'", "must use https");
        assertThat(refused("oidc.issuer.a.url=http://login.example.com/realms/x\noidc.issuer.a.allow-insecure-loopback=true\n")
                .getMessage()).contains("must use https");
        assertThat(refused("oidc.issuer.a.url=http://127.0.0.1:8080/realms/x\n").getMessage())
                .contains("allow-insecure-loopback=true");
        assertThat(refused("oidc.issuer.a.url=http://10.0.0.1/realms/x\noidc.issuer.a.allow-insecure-loopback=true\n").getMessage())
                .contains("must use https");
        assertThat(refused("oidc.issuer.a.url=ftp://login.example.com/\n").getMessage()).contains("must use https");
        for (String ok : List.of("http://localhost:8080/r", "http://127.0.0.1/r", "http://127.1.2.3:9/r", "http://[::1]:8080/r")) {
            assertThat(TrustedIssuers.parse("oidc.issuer.a.url=" + ok + "\noidc.issuer.a.allow-insecure-loopback=true\n").all()).hasSize(1);
        }
    }

    @Test
    void loopbackIsDecidedFromTheTextNotFromDns() {
        assertThat(TrustedIssuer.isLoopbackHost("127.0.0.1")).isTrue();
        assertThat(TrustedIssuer.isLoopbackHost("LOCALHOST")).isTrue();
        assertThat(TrustedIssuer.isLoopbackHost("[::1]")).isTrue();
        assertThat(TrustedIssuer.isLoopbackHost("127.0.0.1.evil.example")).isFalse();
        assertThat(TrustedIssuer.isLoopbackHost("localhost.evil.example")).isFalse();
        assertThat(TrustedIssuer.isLoopbackHost("127.0.0.256")).isFalse();
        assertThat(TrustedIssuer.isLoopbackHost("2130706433")).isFalse();
        assertThat(TrustedIssuer.isLoopbackHost("0.0.0.0")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "NONE", "HS256", "hs512", "RSA-OAEP", "EdDSA", "ES256K", "RS1", ""})
    void forbiddenOrUnknownAlgorithmsAreRefused(String alg) {
        ConfigException e = refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.algorithms=RS256," + alg + "\n");
        assertThat(e.getMessage()).containsAnyOf("is not accepted", "empty entry");
    }

    @Test
    void theForbiddenAlgorithmMessageListsWhatIsAccepted() {
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.algorithms=HS256\n").getMessage())
                .contains("'HS256' is not accepted", "RS256", "never none or HS*");
    }

    @Test
    void leewayAboveSixtySecondsOrNegativeIsRefused() {
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.clock-leeway-seconds=61\n").getMessage())
                .contains("between 0 and 60");
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.clock-leeway-seconds=-1\n").getMessage())
                .contains("between 0 and 60");
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.clock-leeway-seconds=1m\n").getMessage())
                .contains("whole number");
    }

    @Test
    void listsWithEmptyEntriesAreRefused() {
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.audiences=\n").getMessage()).contains("empty entry");
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.audiences=a,,b\n").getMessage()).contains("empty entry");
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.principal-claims=oid,\n").getMessage()).contains("empty entry");
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.audiences=a,a\n").getMessage()).contains("listed twice");
    }

    @Test
    void structuralMistakesAreNamed() {
        assertThat(refused("oidc.issuer.a.audiences=x\n").getMessage()).contains("has no oidc.issuer.a.url");
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.audience=x\n").getMessage())
                .contains("unknown OIDC issuer setting 'oidc.issuer.a.audience'");
        assertThat(refused("oidc.issuer.url=https://idp.example\n").getMessage()).contains("<name>.<field>");
        assertThat(refused("oidc.issuer.KeyCloak.url=https://idp.example\n").getMessage()).contains("a-z, 0-9");
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.b.url=https://idp.example\n").getMessage())
                .contains("'a' and 'b' have the same URL");
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.allow-insecure-loopback=yes\n").getMessage())
                .contains("true or false");
        assertThat(refused("oidc.issuer.a.url=https://idp.example/?tenant=x\n").getMessage()).contains("query or fragment");
        assertThat(refused("oidc.issuer.a.url=https://user:pw@idp.example/\n").getMessage()).contains("user information");
        assertThat(refused("oidc.issuer.a.url=/realms/x\n").getMessage()).contains("absolute https URL");
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.groups-claim=my groups\n").getMessage())
                .contains("printable characters");
    }

    @Test
    void aCaCertificateFileMustExistAndHoldACertificate() throws Exception {
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.ca-certificate=" + dir.resolve("missing.pem") + "\n")
                .getMessage()).contains("does not exist");
        Path key = dir.resolve("key.pem");
        Files.writeString(key, TestTls.localhost().privateKeyPem());
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.ca-certificate=" + key + "\n").getMessage())
                .contains("not a PEM certificate");
        Path garbled = dir.resolve("garbled.pem");
        Files.writeString(garbled, "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        assertThat(refused("oidc.issuer.a.url=https://idp.example\noidc.issuer.a.ca-certificate=" + garbled + "\n").getMessage())
                .contains("cannot be read");
    }

    @Test
    void theRecordItselfRefusesEmptyAudiencesAndPrincipalClaims() {
        assertThatThrownBy(() -> TrustedIssuer.builder("a", "https://idp.example").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least one accepted audience");
        assertThatThrownBy(() -> TrustedIssuer.builder("a", "https://idp.example").audiences("x").principalClaims().build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least one principal claim");
        assertThatThrownBy(() -> new TrustedIssuer("a", "https://idp.example", Set.of("x"), List.of("sub"), "groups",
                Set.of(JWSAlgorithm.HS256), Optional.empty(), Duration.ZERO, false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'HS256' is not accepted");
        assertThatThrownBy(() -> TrustedIssuer.builder("a", " https://idp.example").audiences("x").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("spaces");
    }

    @Test
    void toStringShowsTheConfigurationButNotTheCertificate() {
        TrustedIssuer i = TrustedIssuer.builder("kc", "https://idp.example").audiences("x")
                .caCertificatePem(TestTls.localhost().certificatePem()).build();
        assertThat(i.toString()).contains("kc", "https://idp.example", "ca=configured").doesNotContain("BEGIN");
    }
}
