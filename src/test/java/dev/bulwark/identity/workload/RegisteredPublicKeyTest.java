package dev.bulwark.identity.workload;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegisteredPublicKeyTest {

    @Test
    void anEcP256PublicKeyIsPinnedToEs256() throws Exception {
        ECKey key = WorkloadFixtures.ecKey();
        RegisteredPublicKey k = RegisteredPublicKey.parse(key.toPublicJWK().toJSONString());
        assertThat(k.algorithms()).containsExactly(JWSAlgorithm.ES256);
        assertThat(k.thumbprint()).isEqualTo(key.computeThumbprint().toString());
        assertThat(k.jwk().isPrivate()).isFalse();
    }

    @Test
    void anRsa2048PublicKeyAllowsRs256AndPs256Only() throws Exception {
        RegisteredPublicKey k = RegisteredPublicKey.parse(WorkloadFixtures.rsaKey(2048).toPublicJWK().toJSONString());
        assertThat(k.algorithms()).containsExactlyInAnyOrder(JWSAlgorithm.RS256, JWSAlgorithm.PS256);
    }

    @Test
    void aDeclaredAlgNarrowsThePinAndAForeignAlgIsRefused() throws Exception {
        RSAKey rsa = WorkloadFixtures.rsaKey(2048);
        RegisteredPublicKey ps = RegisteredPublicKey.parse(new RSAKey.Builder(rsa.toPublicJWK()).algorithm(JWSAlgorithm.PS256).build().toJSONString());
        assertThat(ps.algorithms()).containsExactly(JWSAlgorithm.PS256);
        assertThatThrownBy(() -> RegisteredPublicKey.parse(new RSAKey.Builder(rsa.toPublicJWK()).algorithm(JWSAlgorithm.HS256).build().toJSONString()))
                .hasMessageContaining("not allowed");
    }

    @Test
    void aPrivateKeyIsRefusedSoItIsNeverStored() throws Exception {
        assertThatThrownBy(() -> RegisteredPublicKey.parse(WorkloadFixtures.ecKey().toJSONString()))
                .isInstanceOf(WorkloadIdentityValidationException.class).hasMessageContaining("private key");
        assertThatThrownBy(() -> RegisteredPublicKey.parse(WorkloadFixtures.rsaKey(2048).toJSONString()))
                .hasMessageContaining("private key");
    }

    @Test
    void weakOrUnsupportedKeysAreRefused() throws Exception {
        assertThatThrownBy(() -> RegisteredPublicKey.parse(WorkloadFixtures.rsaKey(1024).toPublicJWK().toJSONString()))
                .hasMessageContaining("2048");
        assertThatThrownBy(() -> RegisteredPublicKey.parse(new ECKeyGenerator(Curve.P_384).generate().toPublicJWK().toJSONString()))
                .hasMessageContaining("P-256");
        OctetSequenceKey hmac = new OctetSequenceKeyGenerator(256).generate();
        assertThatThrownBy(() -> RegisteredPublicKey.parse(hmac.toJSONString())).isInstanceOf(WorkloadIdentityValidationException.class);
        assertThatThrownBy(() -> RegisteredPublicKey.parse("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}"))
                .isInstanceOf(WorkloadIdentityValidationException.class);
        assertThatThrownBy(() -> RegisteredPublicKey.parse("not json")).hasMessageContaining("not a valid JWK");
        assertThatThrownBy(() -> RegisteredPublicKey.parse("")).hasMessageContaining("empty");
    }

    @Test
    void aPointOffTheCurveIsRefused() throws Exception {
        ECKey key = WorkloadFixtures.ecKey();
        byte[] y = key.getY().decode();
        y[y.length - 1] ^= 1;
        String json = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + key.getX() + "\",\"y\":\"" + Base64URL.encode(y) + "\"}";
        assertThatThrownBy(() -> RegisteredPublicKey.parse(json)).isInstanceOf(WorkloadIdentityValidationException.class);
    }

    @Test
    void anEncryptionKeyIsRefused() throws Exception {
        ECKey enc = new ECKey.Builder(WorkloadFixtures.ecKey().toPublicJWK()).keyUse(KeyUse.ENCRYPTION).build();
        assertThatThrownBy(() -> RegisteredPublicKey.parse(enc.toJSONString())).hasMessageContaining("sig");
    }

    @Test
    void membersThatPointElsewhereAreDropped() throws Exception {
        ECKey withUrl = new ECKey.Builder(WorkloadFixtures.ecKey().toPublicJWK()).x509CertURL(URI.create("https://evil.example/cert")).build();
        RegisteredPublicKey k = RegisteredPublicKey.parse(withUrl.toJSONString());
        assertThat(k.toJson()).doesNotContain("x5u").doesNotContain("evil");
    }
}
