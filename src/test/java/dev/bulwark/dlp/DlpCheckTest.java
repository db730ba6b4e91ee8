package dev.bulwark.dlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.service.UrlField;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DlpCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<UrlField> CHAT = List.of(new UrlField("messages[].content[].image_url.url"),
            new UrlField("messages[].content[].file.file_url"));
    private static final DlpPolicy POLICY = DlpPolicy.restrictedTo(AllowedFqdns.of(List.of("images.example.com", "203.0.113.7")));

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode chat(String... urls) {
        StringBuilder sb = new StringBuilder("{'model':'gpt-4o','messages':[{'role':'user','content':[{'type':'text','text':'hi'}");
        for (String u : urls) {
            sb.append(",{'type':'image_url','image_url':{'url':'").append(u).append("'}}");
        }
        return json(sb.append("]}]}").toString());
    }

    @Test
    void allowedAndDataUrlsPass() {
        assertThat(DlpCheck.check(CHAT, chat("https://images.example.com/1.png", "data:image/png;base64,AAAA", "https://203.0.113.7/2.png"), POLICY)).isEmpty();
    }

    @Test
    void firstRefusedUrlIsNamedWithItsNormalisedHostAndConcreteParameter() {
        Optional<DlpViolation> v = DlpCheck.check(CHAT, chat("https://images.example.com/1.png", "https://EVIL.io./x", "https://other.example/"), POLICY);
        assertThat(v).contains(new DlpViolation("evil.io", "messages[0].content[2].image_url.url"));
    }

    @Test
    void everyDeclaredFieldIsChecked() {
        JsonNode body = json("{'messages':[{'role':'user','content':[{'type':'file','file':{'file_url':'https://files.example/f.pdf'}}]}]}");
        assertThat(DlpCheck.check(CHAT, body, POLICY)).contains(new DlpViolation("files.example", "messages[0].content[0].file.file_url"));
    }

    @Test
    void nothingIsCheckedWhenOutboundAccessIsNotRestricted() {
        assertThat(DlpCheck.check(CHAT, chat("https://evil.io/"), DlpPolicy.unrestricted())).isEmpty();
        assertThat(DlpCheck.check(CHAT, chat("not a url"), new DlpPolicy(false, AllowedFqdns.none(), false))).isEmpty();
    }

    @Test
    void restrictedWithAnEmptyListRefusesEveryOutboundUrl() {
        DlpPolicy none = DlpPolicy.restrictedTo(AllowedFqdns.none());
        assertThat(DlpCheck.check(CHAT, chat("https://images.example.com/"), none)).isPresent();
        assertThat(DlpCheck.check(CHAT, chat("data:,x"), none)).isEmpty();
    }

    @Test
    void httpPassesOnlyWhenThePolicyAllowsIt() {
        assertThat(DlpCheck.check(CHAT, chat("http://images.example.com/"), POLICY)).isPresent();
        DlpPolicy withHttp = new DlpPolicy(true, POLICY.allowed(), true);
        assertThat(DlpCheck.check(CHAT, chat("http://images.example.com/"), withHttp)).isEmpty();
        assertThat(DlpCheck.check(CHAT, chat("http://evil.io/"), withHttp)).contains(new DlpViolation("evil.io", "messages[0].content[1].image_url.url"));
    }

    @Test
    void unparseableValueIsRefusedShowingACleanedExcerpt() {
        JsonNode body = chat("x");
        ((com.fasterxml.jackson.databind.node.ObjectNode) body.at("/messages/0/content/1/image_url")).put("url", "https://evil.io\\@images.example.com/\u0007\u202E" + "a".repeat(200));
        DlpViolation v = DlpCheck.check(CHAT, body, POLICY).orElseThrow();
        assertThat(v.parameter()).isEqualTo("messages[0].content[1].image_url.url");
        // What precedes the last '@' could be userinfo: never shown (see userinfoIsNeverShown).
        assertThat(v.host()).startsWith("https://***@images.example.com/a").doesNotContain("\u0007", "\u202E");
        assertThat(v.host().length()).isLessThanOrEqualTo(DlpViolation.MAX_SHOWN);
    }

    @Test
    void userinfoIsNeverShown() {
        for (String url : new String[] {"https://user:s3cr3t-token@images.example.com/", "https://s3cr3t-token@evil.io/x",
                "https://user:s3cr3t/token@evil.io/", "https:\\\\user:s3cr3t-token@evil.io/", "https:user:s3cr3t-token@evil.io",
                "https://user:s3cr3t-token@a@evil.io/?q=1", "https://user:s3cr3t-token@" + "h".repeat(200)}) {
            JsonNode body = chat("x");
            ((com.fasterxml.jackson.databind.node.ObjectNode) body.at("/messages/0/content/1/image_url")).put("url", url);
            DlpViolation v = DlpCheck.check(CHAT, body, POLICY).orElseThrow();
            assertThat(v.host()).as(url).doesNotContain("s3cr3t").doesNotContain("token").contains("***@");
            assertThat(v.body("id")).as(url).doesNotContain("s3cr3t");
        }
        assertThat(DlpViolation.withoutUserinfo("https://u:p@evil.io/")).isEqualTo("https://***@evil.io/");
        assertThat(DlpViolation.withoutUserinfo("no-at-sign")).isEqualTo("no-at-sign");
        assertThat(DlpViolation.withoutUserinfo("u:p@host")).isEqualTo("u:***@host");
        assertThat(DlpViolation.withoutUserinfo("up@host")).isEqualTo("***@host");
    }

    @Test
    void nonTextValueIsRefused() {
        JsonNode body = json("{'messages':[{'content':[{'image_url':{'url':{'host':'images.example.com'}}}]}]}");
        assertThat(DlpCheck.check(CHAT, body, POLICY)).contains(new DlpViolation("{\"host\":\"images.example.com\"}", "messages[0].content[0].image_url.url"));
    }

    @Test
    void bodyWithoutUrlFieldsPasses() {
        assertThat(DlpCheck.check(CHAT, json("{'messages':[{'role':'user','content':'https://evil.io/'}]}"), POLICY)).isEmpty();
        assertThat(DlpCheck.check(List.of(), chat("https://evil.io/"), POLICY)).isEmpty();
    }

    @Test
    void errorBodyIsWireMdsExactShape() {
        DlpViolation v = new DlpViolation("evil.io", "messages[0].content[1].image_url.url");
        assertThat(v.body("req-1")).isEqualTo("{\"error\":{\"requestid\":\"req-1\",\"code\":400,\"message\":\"Outbound network access is restricted. "
                + "The hostname 'evil.io' for parameter 'messages[0].content[1].image_url.url' is not in the allowed FQDN list for this resource.\"}}");
    }

    @Test
    void errorBodyEscapesWhatCameFromTheRequest() throws Exception {
        DlpViolation v = new DlpViolation("a\"}b", "p\\q");
        JsonNode parsed = JSON.readTree(v.body("r\"1"));
        assertThat(parsed.at("/error/requestid").textValue()).isEqualTo("r\"1");
        assertThat(parsed.at("/error/code").intValue()).isEqualTo(400);
        assertThat(parsed.at("/error/message").textValue()).contains("'a\"}b'", "'p\\q'");
    }

    @Test
    void oneUrlIsJudgedByTheSameParseAndListAsTheBody() {
        assertThat(DlpCheck.allows("https://images.example.com/x.png", POLICY)).isTrue();
        assertThat(DlpCheck.allows("https://IMAGES.example.com./x.png", POLICY)).isTrue();
        assertThat(DlpCheck.allows("https://evil.example.net/x.png", POLICY)).isFalse();
        assertThat(DlpCheck.allows("https://images.example.com.evil.io/", POLICY)).isFalse();
        assertThat(DlpCheck.allows("https://images.example.com@evil.io/", POLICY)).isFalse();
        assertThat(DlpCheck.allows("http://images.example.com/x.png", POLICY)).as("https only").isFalse();
        assertThat(DlpCheck.allows("http://anything.example/", DlpPolicy.unrestricted())).isTrue();
    }
}
