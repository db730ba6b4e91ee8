package dev.bulwark.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.bulwark.identity.Principal;
import dev.bulwark.identity.workload.ClientSecretFormat;
import dev.bulwark.identity.workload.WorkloadIdentityService;
import dev.bulwark.config.SecretValue;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IdentitiesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Database db;
    WorkloadIdentityService service;
    IdentitiesApi api;

    @BeforeEach
    void open() {
        db = Database.openSqlite(dir.resolve("bulwark.db"));
        MasterKey master = MasterKey.from(new SecretValue(Base64.getEncoder().encodeToString(new byte[32]), "test"));
        service = WorkloadIdentityService.create(db, master, Clock.systemUTC(), () -> { });
        api = new IdentitiesApi(service);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private ApiResponse call(String method, String path, String body) {
        String[] segments = path.substring(1).split("/", -1);
        return api.handle(new ApiRequest(method, segments, Map.of(), body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
                new Principal.BootstrapAdmin(), "req-1", "127.0.0.1"));
    }

    private static JsonNode json(ApiResponse r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static String errorCode(ApiResponse r) throws Exception {
        return json(r).at("/error/code").asText();
    }

    @Test
    void operationNamesAreTheRbacActions() {
        assertThat(IdentitiesApi.operationName("GET", new String[] {"identities"})).isEqualTo("Bulwark/identities/read");
        assertThat(IdentitiesApi.operationName("GET", new String[] {"identities", "app"})).isEqualTo("Bulwark/identities/read");
        assertThat(IdentitiesApi.operationName("PUT", new String[] {"identities", "app"})).isEqualTo("Bulwark/identities/write");
        assertThat(IdentitiesApi.operationName("PATCH", new String[] {"identities", "app"})).isEqualTo("Bulwark/identities/write");
        assertThat(IdentitiesApi.operationName("DELETE", new String[] {"identities", "app"})).isEqualTo("Bulwark/identities/delete");
        assertThat(IdentitiesApi.operationName("POST", new String[] {"identities", "app", "regenerateSecret"})).isEqualTo("Bulwark/identities/write");
    }

    @Test
    void createAnswersTheArmShapeWithTheSecretOnceAndReadsNeverShowIt() throws Exception {
        ApiResponse created = call("PUT", "/identities/batch", null);
        assertThat(created.status()).isEqualTo(201);
        JsonNode c = json(created);
        assertThat(c.get("id").asText()).isEqualTo("/identities/batch");
        assertThat(c.get("name").asText()).isEqualTo("batch");
        assertThat(c.get("type").asText()).isEqualTo("Bulwark/identities");
        String clientId = c.at("/properties/clientId").asText();
        assertThat(clientId).matches("[0-9a-f-]{36}");
        assertThat(c.at("/properties/principalId").asText()).isEqualTo(clientId);
        assertThat(c.at("/properties/createdDateTime").asText()).isNotBlank();
        String secret = c.at("/properties/clientSecret").asText();
        assertThat(ClientSecretFormat.isWellFormed(secret)).isTrue();
        assertThat(created.resourceId()).isEqualTo("/identities/batch");
        assertThat(created.auditProperties()).containsEntry("clientId", clientId).containsEntry("clientSecretIssued", true);
        assertThat(created.auditProperties().toString()).doesNotContain(secret);

        ApiResponse read = call("GET", "/identities/batch", null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).doesNotContain(secret).doesNotContain("clientSecret\"");
        assertThat(json(read).at("/properties/clientSecretCreatedDateTime").asText()).isNotBlank();
        assertThat(json(call("GET", "/identities/" + clientId, null)).get("name").asText()).isEqualTo("batch");
        ApiResponse list = call("GET", "/identities", null);
        assertThat(json(list).get("value").findValuesAsText("name")).containsExactly("batch");
        assertThat(list.body()).doesNotContain(secret);
    }

    @Test
    void aPublicKeyOnlyIdentityHasNoSecretInItsAnswer() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        ApiResponse r = call("PUT", "/identities/keyed", "{\"properties\":{\"publicKeyJwk\":" + key.toPublicJWK().toJSONString()
                + ",\"generateClientSecret\":false}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode p = json(r).get("properties");
        assertThat(p.has("clientSecret")).isFalse();
        assertThat(p.has("clientSecretCreatedDateTime")).isFalse();
        assertThat(p.at("/publicKeyJwk/kty").asText()).isEqualTo("EC");
        assertThat(p.at("/publicKeyJwk/d").isMissingNode()).isTrue();
        assertThat(p.get("publicKeyThumbprint").asText()).isEqualTo(key.computeThumbprint().toString());
    }

    @Test
    void badRequestsGetArmErrors() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        assertThat(errorCode(call("PUT", "/identities/UPPER", null))).isEqualTo("InvalidIdentityName");
        assertThat(errorCode(call("PUT", "/identities/3f2504e0-4f89-11d3-9a0c-0305e82c3301", null))).isEqualTo("InvalidIdentityName");
        assertThat(errorCode(call("GET", "/identities/Bad_Name", null))).isEqualTo("InvalidIdentityName");
        assertThat(errorCode(call("PUT", "/identities/priv", "{\"properties\":{\"publicKeyJwk\":" + key.toJSONString() + "}}")))
                .isEqualTo("InvalidPublicKey");
        assertThat(errorCode(call("PUT", "/identities/priv", "{\"properties\":{\"publicKeyJwk\":\"a string\"}}"))).isEqualTo("InvalidPublicKey");
        assertThat(errorCode(call("PUT", "/identities/nokey", "{\"properties\":{\"generateClientSecret\":false}}"))).isEqualTo("MissingCredential");
        assertThat(errorCode(call("PUT", "/identities/extra", "{\"properties\":{\"clientSecret\":\"mine\"}}"))).isEqualTo("UnsupportedProperty");
        assertThat(errorCode(call("PUT", "/identities/extra", "{\"location\":\"westeurope\"}"))).isEqualTo("UnsupportedProperty");
        assertThat(errorCode(call("PUT", "/identities/named", "{\"name\":\"other\"}"))).isEqualTo("InvalidRequestContent");
        assertThat(errorCode(call("PUT", "/identities/broken", "{\"properties\":"))).isEqualTo("InvalidRequestContent");
        assertThat(errorCode(call("PUT", "/identities/dups", "{\"name\":\"dups\",\"name\":\"dups\"}"))).isEqualTo("InvalidRequestContent");
        assertThat(call("PUT", "/identities/broken", "{\"properties\":").status()).isEqualTo(400);
        assertThat(service.list()).isEmpty();
    }

    @Test
    void creatingATakenNameIsAConflict() throws Exception {
        assertThat(call("PUT", "/identities/taken", null).status()).isEqualTo(201);
        ApiResponse again = call("PUT", "/identities/taken", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(errorCode(again)).isEqualTo("Conflict");
        assertThat(again.body()).doesNotContain("bwcs_");
    }

    @Test
    void regenerateSecretShowsTheNewSecretAndWhenThePreviousOneStops() throws Exception {
        String first = json(call("PUT", "/identities/rot", null)).at("/properties/clientSecret").asText();
        ApiResponse r = call("POST", "/identities/rot/regenerateSecret", null);
        assertThat(r.status()).isEqualTo(200);
        String second = json(r).at("/properties/clientSecret").asText();
        assertThat(second).isNotEqualTo(first);
        assertThat(ClientSecretFormat.isWellFormed(second)).isTrue();
        assertThat(json(r).at("/properties/previousClientSecretExpiresDateTime").asText()).isNotBlank();
        assertThat(r.auditProperties()).containsEntry("revokePrevious", false);

        ApiResponse revoked = call("POST", "/identities/rot/regenerateSecret", "{\"revokePrevious\":true}");
        assertThat(json(revoked).at("/properties/previousClientSecretExpiresDateTime").isMissingNode()).isTrue();
        assertThat(service.checkSecret(second)).isInstanceOf(WorkloadIdentityService.SecretCheck.Invalid.class);
        assertThat(errorCode(call("POST", "/identities/rot/regenerateSecret", "{\"revokePrevious\":\"yes\"}"))).isEqualTo("InvalidRequestContent");
        assertThat(call("GET", "/identities/rot/regenerateSecret", null).status()).isEqualTo(405);
        assertThat(call("POST", "/identities/missing/regenerateSecret", null).status()).isEqualTo(404);
    }

    @Test
    void patchRegistersReplacesAndRemovesThePublicKey() throws Exception {
        call("PUT", "/identities/pk", null);
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        ApiResponse set = call("PATCH", "/identities/pk", "{\"properties\":{\"publicKeyJwk\":" + key.toPublicJWK().toJSONString() + "}}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(json(set).at("/properties/publicKeyThumbprint").asText()).isEqualTo(key.computeThumbprint().toString());
        ApiResponse removed = call("PATCH", "/identities/pk", "{\"properties\":{\"publicKeyJwk\":null}}");
        assertThat(json(removed).at("/properties/publicKeyJwk").isMissingNode()).isTrue();
        assertThat(removed.auditProperties()).containsEntry("publicKeyThumbprint", "removed");
        assertThat(errorCode(call("PATCH", "/identities/pk", "{\"properties\":{}}"))).isEqualTo("InvalidRequestContent");
        assertThat(call("PATCH", "/identities/none", "{\"properties\":{\"publicKeyJwk\":null}}").status()).isEqualTo(404);
    }

    @Test
    void deleteAnswers200Then204AndTheIdentityIsGone() throws Exception {
        call("PUT", "/identities/temp", null);
        assertThat(call("DELETE", "/identities/temp", null).status()).isEqualTo(200);
        assertThat(call("DELETE", "/identities/temp", null).status()).isEqualTo(204);
        ApiResponse gone = call("GET", "/identities/temp", null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(errorCode(gone)).isEqualTo("ResourceNotFound");
    }

    @Test
    void unknownMethodsAndOperationsAreRefused() throws Exception {
        assertThat(call("POST", "/identities", null).status()).isEqualTo(405);
        assertThat(call("POST", "/identities/app", null).status()).isEqualTo(405);
        call("PUT", "/identities/app", null);
        assertThat(call("POST", "/identities/app/listSecrets", null).status()).isEqualTo(404);
    }
}
