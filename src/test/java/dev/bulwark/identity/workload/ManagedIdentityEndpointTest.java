package dev.bulwark.identity.workload;

import dev.bulwark.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.identity.workload.WorkloadFixtures.FakeMinter;
import dev.bulwark.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.bulwark.identity.workload.WorkloadFixtures.RESOURCE;
import static org.assertj.core.api.Assertions.assertThat;

class ManagedIdentityEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY = "api-version=2019-08-01&resource=" + enc(RESOURCE);

    @TempDir
    Path dir;
    Database db;
    MutableClock clock;
    FakeMinter minter;
    WorkloadIdentityService identities;
    ManagedIdentityEndpoint endpoint;
    WorkloadIdentity app;
    String secret;
    WorkloadIdentity other;

    @BeforeEach
    void setUp() {
        db = WorkloadFixtures.database(dir);
        clock = new MutableClock();
        minter = new FakeMinter();
        identities = WorkloadFixtures.service(db, clock);
        endpoint = new ManagedIdentityEndpoint(identities, minter, WorkloadFixtures.policy(), clock);
        var created = identities.create("web-app", Optional.empty(), true);
        app = created.identity();
        secret = created.secret().orElseThrow().reveal();
        other = identities.create("other-app", Optional.empty(), true).identity();
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private EndpointResponse get(String query, String... header) {
        return endpoint.handle("GET", query, List.of(header));
    }

    private static JsonNode json(EndpointResponse r) throws Exception {
        return JSON.readTree(r.body());
    }

    private void assertError(EndpointResponse r, int status, String error) throws Exception {
        assertThat(r.status()).as(r.body() + " / " + r.auditReason()).isEqualTo(status);
        assertThat(json(r).path("error").asText()).isEqualTo(error);
        assertThat(json(r).path("error_description").asText()).isNotBlank();
        assertThat(r.headers()).containsEntry("Content-Type", "application/json; charset=utf-8").containsEntry("Cache-Control", "no-store");
        assertThat(minter.calls).isEmpty();
    }

    @Test
    void theIdentityHeaderSecretGetsATokenInTheAppServiceShape() throws Exception {
        EndpointResponse r = get(QUERY, secret);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("access_token").asText()).startsWith("fake-token." + app.clientId());
        assertThat(body.path("expires_on").isTextual()).isTrue();
        assertThat(body.path("expires_on").asText()).isEqualTo(Long.toString(clock.instant().getEpochSecond() + 3600));
        assertThat(body.path("resource").asText()).isEqualTo(RESOURCE);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("client_id").asText()).isEqualTo(app.clientId());
        assertThat(r.headers()).containsEntry("Cache-Control", "no-store");
        assertThat(r.principal()).contains(app.principal());
        assertThat(minter.calls).containsExactly(new FakeMinter.Call(app.clientId(), "web-app", RESOURCE));
        assertThat(r.body()).doesNotContain(secret);
    }

    @Test
    void theResourceIsEchoedAsRequestedAndATrailingSlashIsAccepted() throws Exception {
        EndpointResponse r = get("api-version=2019-08-01&resource=" + enc(RESOURCE + "/"), secret);
        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).path("resource").asText()).isEqualTo(RESOURCE + "/");
        assertThat(minter.calls.get(0).audience()).isEqualTo(RESOURCE);
    }

    @Test
    void aUserAssignedSelectorMustNameTheHeadersIdentity() throws Exception {
        assertThat(get(QUERY + "&client_id=" + app.clientId(), secret).status()).isEqualTo(200);
        assertThat(get(QUERY + "&client_id=" + app.clientId().toUpperCase(), secret).status()).isEqualTo(200);
        assertThat(get(QUERY + "&object_id=" + app.clientId(), secret).status()).isEqualTo(200);
        assertThat(get(QUERY + "&principal_id=" + app.clientId(), secret).status()).isEqualTo(200);
        assertThat(get(QUERY + "&mi_res_id=" + enc("/identities/web-app"), secret).status()).isEqualTo(200);
        minter.calls.clear();
        assertError(get(QUERY + "&client_id=" + other.clientId(), secret), 400, "invalid_request");
        assertError(get(QUERY + "&mi_res_id=" + enc("/identities/other-app"), secret), 400, "invalid_request");
        assertError(get(QUERY + "&client_id=" + app.clientId() + "&object_id=" + app.clientId(), secret), 400, "invalid_request");
    }

    @Test
    void parametersMsalMayAddAreIgnored() throws Exception {
        assertThat(get(QUERY + "&xms_cc=cp1&token_sha256_to_refresh=abc", secret).status()).isEqualTo(200);
    }

    @Test
    void aMissingOrEmptyIdentityHeaderIs401() throws Exception {
        assertError(get(QUERY), 401, "invalid_client");
        assertError(get(QUERY, ""), 401, "invalid_client");
        assertError(endpoint.handle("GET", QUERY, null), 401, "invalid_client");
    }

    @Test
    void aWrongIdentityHeaderIs401() throws Exception {
        assertError(get(QUERY, ClientSecretFormat.generate().reveal()), 401, "invalid_client");
        assertError(get(QUERY, "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a"), 401, "invalid_client");
        EndpointResponse typo = get(QUERY, secret.substring(0, 53) + (secret.charAt(53) == 'a' ? 'b' : 'a'));
        assertError(typo, 401, "invalid_client");
        assertThat(typo.auditReason()).isEqualTo("malformed client secret");
    }

    @Test
    void aRepeatedIdentityHeaderIs401() throws Exception {
        assertError(get(QUERY, secret, secret), 401, "invalid_client");
    }

    @Test
    void theSecretIsNeverTakenFromTheQuery() throws Exception {
        assertError(get(QUERY + "&secret=" + secret + "&X-IDENTITY-HEADER=" + secret), 401, "invalid_client");
    }

    @Test
    void aMissingOrUnsupportedApiVersionIs400() throws Exception {
        assertError(get("resource=" + enc(RESOURCE), secret), 400, "invalid_request");
        assertError(get("api-version=2017-09-01&resource=" + enc(RESOURCE), secret), 400, "invalid_request");
        assertError(get("api-version=2018-02-01&resource=" + enc(RESOURCE), secret), 400, "invalid_request");
    }

    @Test
    void aMissingResourceIs400AndScopeIsNotASubstitute() throws Exception {
        assertError(get("api-version=2019-08-01", secret), 400, "invalid_request");
        EndpointResponse scope = get("api-version=2019-08-01&scope=" + enc(RESOURCE + "/.default"), secret);
        assertError(scope, 400, "invalid_request");
        assertThat(json(scope).path("error_description").asText()).contains("resource=");
    }

    @Test
    void anUnknownResourceIs400() throws Exception {
        assertError(get("api-version=2019-08-01&resource=" + enc("https://vault.azure.net"), secret), 400, "invalid_resource");
        assertError(get("api-version=2019-08-01&resource=" + enc(RESOURCE + "/.default"), secret), 400, "invalid_resource");
    }

    @Test
    void repeatedOrBadlyEncodedParametersAre400() throws Exception {
        assertError(get(QUERY + "&resource=" + enc("https://vault.azure.net"), secret), 400, "invalid_request");
        assertError(get(QUERY + "&api-version=2019-08-01", secret), 400, "invalid_request");
        assertError(get(QUERY + "&x=%G1", secret), 400, "invalid_request");
    }

    @Test
    void theAuthenticationCheckComesBeforeTheParameters() throws Exception {
        assertError(get("", ClientSecretFormat.generate().reveal()), 401, "invalid_client");
        assertError(get(null), 401, "invalid_client");
    }

    @Test
    void onlyGetIsAllowed() throws Exception {
        EndpointResponse r = endpoint.handle("POST", QUERY, List.of(secret));
        assertError(r, 405, "invalid_request");
        assertThat(r.headers()).containsEntry("Allow", "GET");
    }

    @Test
    void thePreviousSecretWorksDuringTheOverlapOnly() throws Exception {
        String fresh = identities.regenerateSecret("web-app", false).secret().reveal();
        EndpointResponse old = get(QUERY, secret);
        assertThat(old.status()).isEqualTo(200);
        assertThat(old.auditReason()).contains("previous");
        assertThat(get(QUERY, fresh).status()).isEqualTo(200);
        clock.advance(WorkloadIdentityService.DEFAULT_PREVIOUS_SECRET_OVERLAP);
        minter.calls.clear();
        assertError(get(QUERY, secret), 401, "invalid_client");
    }

    @Test
    void aDeletedIdentitysSecretIs401() throws Exception {
        identities.delete("web-app");
        assertError(get(QUERY, secret), 401, "invalid_client");
    }
}
