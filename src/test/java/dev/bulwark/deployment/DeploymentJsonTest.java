package dev.bulwark.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Parsing and rendering ARM-shaped deployment bodies, and the rules every door shares. */
class DeploymentJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode body(String json) throws Exception {
        return JSON.readTree(json.replace('\'', '"'));
    }

    private static String upstream(String inner) {
        return "{'properties':{'model':{'format':'OpenAI','name':'llama3'},'upstream':{" + inner + "}}}";
    }

    private static DeploymentSpec parse(String json) throws Exception {
        return DeploymentJson.parsePut("gpt", body(json));
    }

    private static DeploymentValidationException refusal(String json) throws Exception {
        JsonNode b = body(json);
        return catchThrowableOfType(() -> DeploymentJson.parsePut("gpt", b), DeploymentValidationException.class);
    }

    @Test
    void aMinimalBodyGetsAzuresDefaultsAndNoLimits() throws Exception {
        DeploymentSpec s = parse(upstream("'baseUrl':'http://10.0.0.5:8000/v1/'"));
        assertThat(s.upstream()).isEqualTo(URI.create("http://10.0.0.5:8000/v1"));
        assertThat(s.skuName()).isEqualTo("Standard");
        assertThat(s.modelFormat()).isEqualTo("OpenAI");
        assertThat(s.model()).isEqualTo("llama3");
        assertThat(s.credential()).isNull();
        assertThat(s.connectTimeoutMs()).isEqualTo(10_000);
        assertThat(s.timeoutMs()).isEqualTo(60_000);
        assertThat(s.requestsPerMinute()).isZero();
        assertThat(s.tokensPerMinute()).isZero();
    }

    @Test
    void capacityWithoutRateLimitsFollowsAzuresRule() throws Exception {
        DeploymentSpec s = parse("{'sku':{'name':'Standard','capacity':10},'properties':{'model':{'name':'m'},"
                + "'upstream':{'baseUrl':'https://vllm.internal'}}}");
        assertThat(s.tokensPerMinute()).isEqualTo(10_000);
        assertThat(s.requestsPerMinute()).isEqualTo(60);
        assertThat(s.skuCapacity()).isEqualTo(10);
    }

    @Test
    void explicitRateLimitsWinOverCapacityAndAMissingKeyMeansNoLimit() throws Exception {
        DeploymentSpec s = parse("{'sku':{'name':'Standard','capacity':10},'properties':{'model':{'name':'m'},"
                + "'upstream':{'baseUrl':'https://vllm.internal'},'rateLimits':[{'key':'token','renewalPeriod':60,'count':5000}]}}");
        assertThat(s.tokensPerMinute()).isEqualTo(5000);
        assertThat(s.requestsPerMinute()).isZero();
        assertThat(refusal("{'properties':{'model':{'name':'m'},'upstream':{'baseUrl':'http://h'},"
                + "'rateLimits':[{'key':'request','renewalPeriod':10,'count':5}]}}").code()).isEqualTo("InvalidRateLimit");
        assertThat(refusal("{'properties':{'model':{'name':'m'},'upstream':{'baseUrl':'http://h'},"
                + "'rateLimits':[{'key':'request','count':5},{'key':'request','count':6}]}}").code()).isEqualTo("InvalidRateLimit");
        assertThat(refusal("{'properties':{'model':{'name':'m'},'upstream':{'baseUrl':'http://h'},"
                + "'rateLimits':[{'key':'request','count':-1}]}}").code()).isEqualTo("InvalidRateLimit");
        assertThat(refusal("{'properties':{'model':{'name':'m'},'upstream':{'baseUrl':'http://h'},"
                + "'rateLimits':[{'key':'tokens','count':1}]}}").code()).isEqualTo("InvalidRateLimit");
        assertThat(refusal("{'sku':{'name':'Standard','capacity':0},'properties':{'model':{'name':'m'},'upstream':{'baseUrl':'http://h'}}}")
                .code()).isEqualTo("InvalidSku");
    }

    @Test
    void upstreamUrlsMustBePlainAbsoluteHttpAndAreNeverQuotedInRefusals() throws Exception {
        String[] bad = {"ftp://files.example/v1", "file:///etc/passwd", "/v1", "localhost:8000", "http:opaque",
                "http://user:hunter2pass@vllm.internal/v1", "http://vllm.internal/v1?key=hunter2pass", "http://vllm.internal/v1#frag",
                "http:///v1", "http://vllm.internal/v1/../admin", "javascript:alert(1)", "http://vllm internal/"};
        for (String url : bad) {
            DeploymentValidationException e = refusal(upstream("'baseUrl':'" + url + "'"));
            assertThat(e).as(url).isNotNull();
            assertThat(e.code()).as(url).isEqualTo("InvalidUpstreamUrl");
            assertThat(e.getMessage()).as(url).doesNotContain("hunter2pass").doesNotContain(url);
        }
        assertThat(refusal(upstream("'credential':'env:X'")).code()).isEqualTo("InvalidUpstreamUrl");
        assertThat(parse(upstream("'baseUrl':'HTTPS://Vllm.Internal:8443/'")).upstream().toString()).isEqualTo("https://Vllm.Internal:8443");
    }

    @Test
    void aLiteralSecretIsRefusedWithoutBeingEchoed() throws Exception {
        for (String literal : new String[] {"sk-live-0123456789abcdefSECRET", "Bearer sk-live-SECRET", "file:relative/SECRET",
                "file:/var/../etc/SECRET", "env:has-dash-SECRET", "vault:has space-SECRET", "vault:name/bad-version-SECRET"}) {
            DeploymentValidationException e = refusal(upstream("'baseUrl':'http://h','credential':'" + literal + "'"));
            assertThat(e).as(literal).isNotNull();
            assertThat(e.code()).isEqualTo("InvalidCredentialReference");
            assertThat(e.getMessage()).doesNotContain("SECRET").doesNotContain(literal);
        }
        assertThat(refusal(upstream("'baseUrl':'http://h','credential':12345")).code()).isEqualTo("InvalidCredentialReference");
    }

    @Test
    void bulwarksOwnVariablesCannotBeACredential() throws Exception {
        assertThat(refusal(upstream("'baseUrl':'http://h','credential':'env:BULWARK_ADMIN_TOKEN'")).code()).isEqualTo("InvalidCredentialReference");
        assertThat(refusal(upstream("'baseUrl':'http://h','credential':'env:bulwark_master_key'")).code()).isEqualTo("InvalidCredentialReference");
        assertThat(parse(upstream("'baseUrl':'http://h','credential':'env:VLLM_KEY'")).credential()).isEqualTo("env:VLLM_KEY");
        assertThat(parse(upstream("'baseUrl':'http://h','credential':'file:/run/secrets/vllm'")).credential()).isEqualTo("file:/run/secrets/vllm");
    }

    @Test
    void timeoutsAreOneToSixHundredWholeSeconds() throws Exception {
        for (String t : new String[] {"0", "601", "-1", "1.5", "'10'"}) {
            assertThat(refusal(upstream("'baseUrl':'http://h','timeoutSeconds':" + t)).code()).as(t).isEqualTo("InvalidTimeout");
            assertThat(refusal(upstream("'baseUrl':'http://h','connectTimeoutSeconds':" + t)).code()).as(t).isEqualTo("InvalidTimeout");
        }
        DeploymentSpec s = parse(upstream("'baseUrl':'http://h','timeoutSeconds':600,'connectTimeoutSeconds':1"));
        assertThat(s.timeoutMs()).isEqualTo(600_000);
        assertThat(s.connectTimeoutMs()).isEqualTo(1000);
    }

    @Test
    void unknownFieldsAreRefusedAndReadOnlyOnesIgnored() throws Exception {
        assertThat(refusal("{'location':'x'," + upstream("'baseUrl':'http://h'").substring(1)).code()).isEqualTo("InvalidRequestContent");
        assertThat(refusal(upstream("'baseUrl':'http://h','apiKey':'x'")).getMessage()).contains("properties.upstream.apiKey");
        assertThat(refusal("{'properties':{'model':{'name':'m'},'upstream':{'baseUrl':'http://h'},'raiPolicyName':'x'}}").code())
                .isEqualTo("InvalidRequestContent");
        assertThat(refusal("{'name':'other','properties':{'model':{'name':'m'},'upstream':{'baseUrl':'http://h'}}}").code())
                .isEqualTo("InvalidRequestContent");
        assertThat(refusal("{'properties':{'upstream':{'baseUrl':'http://h'}}}").code()).isEqualTo("InvalidRequestContent");
        assertThat(refusal("{'properties':{'model':{'name':''},'upstream':{'baseUrl':'http://h'}}}").code()).isEqualTo("InvalidModel");
        assertThat(refusal("{'properties':{'model':{'name':'" + "m".repeat(257) + "'},'upstream':{'baseUrl':'http://h'}}}").code())
                .isEqualTo("InvalidModel");

        // What a GET answered can be sent back as it is.
        Deployment d = new Deployment("acct", "gpt", parse("{'sku':{'name':'Standard','capacity':2},'properties':{'model':{'name':'m','version':'1'},"
                + "'upstream':{'baseUrl':'http://h/v1','credential':'env:K','timeoutSeconds':30}}}"), Instant.EPOCH, Instant.EPOCH);
        JsonNode rendered = DeploymentJson.render(d, "ok");
        DeploymentSpec again = DeploymentJson.parsePut("gpt", rendered);
        assertThat(again).isEqualTo(d.spec());
    }

    @Test
    void theAnswerIsArmShapedWithTheReferenceAndItsStatus() throws Exception {
        Deployment d = new Deployment("acct", "gpt-4o", parse("{'sku':{'name':'Standard','capacity':10},'properties':{'model':{'name':'llama3'},"
                + "'upstream':{'baseUrl':'http://h/v1','credential':'env:VLLM_KEY'}}}"), Instant.EPOCH, Instant.EPOCH);
        JsonNode o = DeploymentJson.render(d, "environment variable VLLM_KEY is not set or empty");
        assertThat(o.get("id").asText()).isEqualTo("/accounts/acct/deployments/gpt-4o");
        assertThat(o.get("type").asText()).isEqualTo("Microsoft.CognitiveServices/accounts/deployments");
        assertThat(o.at("/sku/capacity").asInt()).isEqualTo(10);
        assertThat(o.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
        assertThat(o.at("/properties/upstream/credential").asText()).isEqualTo("env:VLLM_KEY");
        assertThat(o.at("/properties/credentialStatus").asText()).contains("VLLM_KEY");
        assertThat(o.at("/properties/rateLimits/0/key").asText()).isEqualTo("request");
        assertThat(o.at("/properties/rateLimits/0/count").asInt()).isEqualTo(60);
        assertThat(o.at("/properties/rateLimits/1/count").asInt()).isEqualTo(10_000);
    }

    @Test
    void namesFollowAzuresRule() {
        for (String ok : new String[] {"gpt-4o", "Llama3.1_8B", "a1", "x".repeat(64), "9lives"}) {
            assertThat(DeploymentName.isValid(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"a", "-lead", "_lead", ".lead", "x".repeat(65), "sp ace", "sl/ash", "ü-umlaut", ""}) {
            assertThatThrownBy(() -> DeploymentName.validate(bad)).as(bad).isInstanceOf(DeploymentValidationException.class);
        }
    }
}
