package dev.bulwark.identity.workload;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.config.SecretValue;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.store.Database;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Test doubles and builders shared by the workload identity tests: a database, a clock, a minter, keys and assertions. */
public final class WorkloadFixtures {
    public static final String TOKEN_ENDPOINT = "https://bulwark.example:8443/oauth2/v2.0/token";
    public static final String RESOURCE = "https://cognitiveservices.azure.com";

    private WorkloadFixtures() {
    }

    public static MasterKey masterKey() {
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 7 + 3);
        }
        return MasterKey.from(new SecretValue(Base64.getEncoder().encodeToString(k), "test"));
    }

    public static Database database(Path dir) {
        return Database.openSqlite(dir.resolve("bulwark.db"));
    }

    public static WorkloadIdentityService service(Database db, Clock clock) {
        return WorkloadIdentityService.create(db, masterKey(), clock, () -> { });
    }

    public static WorkloadTokenPolicy policy() {
        return WorkloadTokenPolicy.defaults(List.of(TOKEN_ENDPOINT));
    }

    /** A minter that signs nothing: it records each call and returns a recognisable fake token. */
    public static final class FakeMinter implements WorkloadTokenMinter {
        public record Call(String identityId, String name, String audience) {
        }

        public final List<Call> calls = new ArrayList<>();

        @Override
        public synchronized String mint(String identityId, String name, String audience) {
            calls.add(new Call(identityId, name, audience));
            return "fake-token." + identityId + "." + calls.size();
        }

        @Override
        public Duration lifetime() {
            return Duration.ofMinutes(60);
        }
    }

    public static ECKey ecKey() throws JOSEException {
        return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
    }

    public static RSAKey rsaKey(int bits) throws JOSEException {
        return new RSAKeyGenerator(bits).keyID(UUID.randomUUID().toString()).generate();
    }

    /** Claims of a well-formed assertion for {@code clientId} at {@code now}: 5-minute exp, fresh jti. */
    public static JWTClaimsSet.Builder claims(String clientId, Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(clientId).subject(clientId).audience(TOKEN_ENDPOINT)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString());
    }

    public static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) throws JOSEException {
        JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(com.nimbusds.jose.JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
