package dev.bulwark.service.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RID = "req-123";
    private static final String SECRET_BODY = "{\"error\":{\"message\":\"Incorrect API key provided: sk-live-ABCDEF0123456789 "
            + "at http://10.1.2.3:8000/v1/chat/completions (/srv/models/llama/config.json)\",\"code\":\"invalid_api_key\"},"
            + "\"detail\":\"Traceback (most recent call last): File /opt/app/server.py\"}";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every answer is a JSON object {"error":{"code","message"}} with text in both. */
    private static JsonNode error(UpstreamAnswer a) throws IOException {
        JsonNode root = JSON.readTree(a.body());
        assertThat(root.isObject()).isTrue();
        assertThat(root.size()).isEqualTo(1);
        JsonNode e = root.get("error");
        assertThat(e.isObject()).isTrue();
        assertThat(e.get("code").isTextual()).isTrue();
        assertThat(e.get("message").isTextual()).isTrue();
        assertThat(e.get("code").textValue()).isNotBlank();
        assertThat(e.get("message").textValue()).isNotBlank();
        return e;
    }

    private static String message(UpstreamAnswer a) throws IOException {
        return error(a).get("message").textValue();
    }

    private static String code(UpstreamAnswer a) throws IOException {
        return error(a).get("code").textValue();
    }

    @Test
    void openAiShapedBadRequestPassesMessageAndCode() throws IOException {
        UpstreamAnswer a = UpstreamErrors.fromStatus(400, b("{\"error\":{\"message\":\"This model's maximum context length is 8192 "
                + "tokens.\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}"), null, RID);
        assertThat(a.status()).isEqualTo(400);
        assertThat(message(a)).isEqualTo("This model's maximum context length is 8192 tokens.");
        assertThat(code(a)).isEqualTo("context_length_exceeded");
        assertThat(a.retryAfterSeconds()).isZero();
    }

    @Test
    void plainErrorStringShape() throws IOException {
        UpstreamAnswer a = UpstreamErrors.fromStatus(400, b("{\"error\":\"Input validation error: `inputs` must have less than 4096 tokens\","
                + "\"error_type\":\"validation\"}"), null, RID);
        assertThat(a.status()).isEqualTo(400);
        assertThat(message(a)).isEqualTo("Input validation error: `inputs` must have less than 4096 tokens");
        assertThat(code(a)).isEqualTo("BadRequest");
    }

    @Test
    void fastApiDetailShapeAnd422Becomes400() throws IOException {
        UpstreamAnswer a = UpstreamErrors.fromStatus(422, b("{\"detail\":\"temperature must be between 0 and 2\"}"), null, RID);
        assertThat(a.status()).isEqualTo(400);
        assertThat(message(a)).isEqualTo("temperature must be between 0 and 2");
        assertThat(code(a)).isEqualTo("BadRequest");
    }

    @Test
    void fastApiValidationListFallsBackToAGenericMessage() throws IOException {
        UpstreamAnswer a = UpstreamErrors.fromStatus(422, b("{\"detail\":[{\"loc\":[\"body\",\"n\"],\"msg\":\"value is not a valid integer\"}]}"),
                null, RID);
        assertThat(a.status()).isEqualTo(400);
        assertThat(message(a)).isEqualTo("The model server refused the request as invalid.");
    }

    @Test
    void tooLargeKeepsItsStatusAndCode() throws IOException {
        UpstreamAnswer a = UpstreamErrors.fromStatus(413, b("<html>413 Request Entity Too Large</html>"), null, RID);
        assertThat(a.status()).isEqualTo(413);
        assertThat(code(a)).isEqualTo("RequestTooLarge");
        assertThat(message(a)).doesNotContain("html");
        UpstreamAnswer withMessage = UpstreamErrors.fromStatus(413, b("{\"error\":{\"message\":\"Too big\"}}"), null, RID);
        assertThat(withMessage.status()).isEqualTo(413);
        assertThat(message(withMessage)).isEqualTo("Too big");
        assertThat(code(withMessage)).isEqualTo("RequestTooLarge");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "\"x\"", "null", "{}", "{\"error\":null}", "{\"error\":\"   \"}", "{\"error\":{}}",
            "{\"error\":{\"message\":42}}", "{\"error\":[\"x\"]}", "{\"detail\":\"\"}", "{\"error\":{\"message\":\"a\""})
    void unexplainedBadRequestGetsAGenericMessage(String body) throws IOException {
        UpstreamAnswer a = UpstreamErrors.fromStatus(400, b(body), null, RID);
        assertThat(a.status()).isEqualTo(400);
        assertThat(message(a)).isEqualTo("The model server refused the request as invalid.");
        assertThat(code(a)).isEqualTo("BadRequest");
    }

    @Test
    void errorObjectWithoutMessageFallsBackToDetail() throws IOException {
        UpstreamAnswer a = UpstreamErrors.fromStatus(400, b("{\"error\":{\"code\":\"x\"},\"detail\":\"from detail\"}"), null, RID);
        assertThat(message(a)).isEqualTo("from detail");
        assertThat(code(a)).isEqualTo("x");
    }

    @Test
    void controlCharactersAreRemovedFromTheMessage() throws IOException {
        String raw = "line1\nline2\r\n\u0000nul\u001b[31mred\u007f\u0085\u009fend\ttab";
        UpstreamAnswer a = UpstreamErrors.fromStatus(400, b("{\"error\":{\"message\":" + JSON.writeValueAsString(raw) + "}}"), null, RID);
        String m = message(a);
        assertThat(m).doesNotContainPattern("[\\x00-\\x1F\\x7F-\\x9F]");
        assertThat(m).contains("line1").contains("line2").contains("nul").contains("red").contains("end").contains("tab");
        assertThat(new String(a.body(), StandardCharsets.UTF_8)).doesNotContainPattern("[\\x00-\\x1F\\x7F]");
    }

    @Test
    void longMessagesAreTruncated() throws IOException {
        String exact = "a".repeat(UpstreamErrors.MAX_MESSAGE);
        assertThat(message(UpstreamErrors.fromStatus(400, b("{\"error\":\"" + exact + "\"}"), null, RID))).isEqualTo(exact);

        String longer = "b".repeat(UpstreamErrors.MAX_MESSAGE) + "SECRET-TAIL";
        String m = message(UpstreamErrors.fromStatus(400, b("{\"error\":\"" + longer + "\"}"), null, RID));
        assertThat(m).doesNotContain("SECRET").startsWith("bbbb").endsWith("...");
        assertThat(m.length()).isLessThanOrEqualTo(UpstreamErrors.MAX_MESSAGE + 3);

        String huge = "c".repeat(500_000);
        assertThat(message(UpstreamErrors.fromStatus(400, b("{\"detail\":\"" + huge + "\"}"), null, RID)).length())
                .isLessThanOrEqualTo(UpstreamErrors.MAX_MESSAGE + 3);
    }

    @Test
    void quotesAndBackslashesInTheMessageKeepTheBodyValidJson() throws IOException {
        String raw = "bad \"value\" \\ </script> \u2028 é 😀";
        UpstreamAnswer a = UpstreamErrors.fromStatus(400, b("{\"error\":{\"message\":" + JSON.writeValueAsString(raw) + "}}"), null, RID);
        assertThat(message(a)).isEqualTo(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "quo\"te", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "semi;colon", "new\nline", "<b>", "", "é"})
    void unsafeCodesAreReplaced(String badCode) throws IOException {
        UpstreamAnswer a = UpstreamErrors.fromStatus(400, b("{\"error\":{\"message\":\"m\",\"code\":" + JSON.writeValueAsString(badCode) + "}}"),
                null, RID);
        assertThat(code(a)).isEqualTo("BadRequest");
        assertThat(message(a)).isEqualTo("m");
        UpstreamAnswer large = UpstreamErrors.fromStatus(413, b("{\"error\":{\"message\":\"m\",\"code\":" + JSON.writeValueAsString(badCode) + "}}"),
                null, RID);
        assertThat(code(large)).isEqualTo("RequestTooLarge");
    }

    @Test
    void nonTextCodeIsReplacedAndSafeCodesAreKept() throws IOException {
        assertThat(code(UpstreamErrors.fromStatus(400, b("{\"error\":{\"message\":\"m\",\"code\":400}}"), null, RID))).isEqualTo("BadRequest");
        assertThat(code(UpstreamErrors.fromStatus(400, b("{\"error\":{\"message\":\"m\",\"code\":null}}"), null, RID))).isEqualTo("BadRequest");
        String max = "A-b_c.9" + "z".repeat(57);
        assertThat(code(UpstreamErrors.fromStatus(400, b("{\"error\":{\"message\":\"m\",\"code\":\"" + max + "\"}}"), null, RID))).isEqualTo(max);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403, 404, 500, 503, 502, 501, 418, 409, 302, 100})
    void serverSideProblemsBecome502WithoutAnythingFromTheUpstreamBody(int status) throws IOException {
        UpstreamAnswer a = UpstreamErrors.fromStatus(status, b(SECRET_BODY), "30", RID);
        assertThat(a.status()).isEqualTo(502);
        assertThat(code(a)).isEqualTo("BadGateway");
        String all = new String(a.body(), StandardCharsets.UTF_8);
        assertThat(all).doesNotContain("sk-live").doesNotContain("10.1.2.3").doesNotContain("/srv").doesNotContain("/opt")
                .doesNotContain("Traceback").doesNotContain("Incorrect API key").doesNotContain("invalid_api_key");
        assertThat(message(a)).contains("status " + status).contains(RID);
        assertThat(a.retryAfterSeconds()).isZero();
    }

    @Test
    void credentialAndPathProblemsAreExplainedWithoutDetail() throws IOException {
        assertThat(message(UpstreamErrors.fromStatus(401, b(SECRET_BODY), null, RID))).contains("credential");
        assertThat(message(UpstreamErrors.fromStatus(403, b(SECRET_BODY), null, RID))).contains("credential");
        assertThat(message(UpstreamErrors.fromStatus(404, b(SECRET_BODY), null, RID))).contains("does not serve");
        assertThat(message(UpstreamErrors.fromStatus(500, b(SECRET_BODY), null, RID))).contains("failed");
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 504})
    void timeoutsBecome504(int status) throws IOException {
        UpstreamAnswer a = UpstreamErrors.fromStatus(status, b(SECRET_BODY), null, RID);
        assertThat(a.status()).isEqualTo(504);
        assertThat(code(a)).isEqualTo("GatewayTimeout");
        assertThat(message(a)).contains(RID).doesNotContain("sk-live").doesNotContain("10.1.2.3");
    }

    @Test
    void tooManyRequestsKeepsStatusAndRetryAfter() throws IOException {
        UpstreamAnswer a = UpstreamErrors.fromStatus(429, b(SECRET_BODY), "17", RID);
        assertThat(a.status()).isEqualTo(429);
        assertThat(a.retryAfterSeconds()).isEqualTo(17);
        assertThat(code(a)).isEqualTo("429");
        assertThat(new String(a.body(), StandardCharsets.UTF_8)).doesNotContain("sk-live").doesNotContain("10.1.2.3");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "1|1", "3600|3600", "120|120", "' 42 '|42", "NULL|1", "''|1", "0|1", "-5|1",
            "Wed, 21 Oct 2015 07:28:00 GMT|1", "junk|1", "1.5|1", "99999999999999999999999|1", "0x10|1"
    })
    void retryAfterParsing(String header, long expected) {
        assertThat(UpstreamErrors.retryAfterSeconds(header)).isEqualTo(expected);
        assertThat(UpstreamErrors.fromStatus(429, new byte[0], header, RID).retryAfterSeconds()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3601", "86400", "9223372036854775807"})
    void retryAfterBeyondAnHourIsNeverPassedOn(String header) {
        assertThat(UpstreamErrors.retryAfterSeconds(header)).isBetween(1L, 3600L);
    }

    @Test
    void connectionRefusedIs502CouldNotBeReached() throws IOException {
        UpstreamAnswer a = UpstreamErrors.fromFailure(new ConnectException("Connection refused: /10.1.2.3:8000"), 30_000, RID);
        assertThat(a.status()).isEqualTo(502);
        assertThat(code(a)).isEqualTo("BadGateway");
        assertThat(message(a)).contains("could not be reached").contains(RID).doesNotContain("10.1.2.3");
    }

    @Test
    void timeoutsBecome504WithTheConfiguredTimeout() throws IOException {
        UpstreamAnswer a = UpstreamErrors.fromFailure(new TimeoutException("after 30000 ms to 10.1.2.3"), 30_000, RID);
        assertThat(a.status()).isEqualTo(504);
        assertThat(code(a)).isEqualTo("GatewayTimeout");
        assertThat(message(a)).contains("30 seconds").contains(RID).doesNotContain("10.1.2.3");

        UpstreamAnswer connect = UpstreamErrors.fromFailure(
                new io.netty.channel.ConnectTimeoutException("connection timed out after 5000 ms: /10.1.2.3:8000"), 5_000, RID);
        assertThat(connect.status()).isEqualTo(504);
        assertThat(message(connect)).contains("5 seconds").doesNotContain("10.1.2.3");

        UpstreamAnswer vertx = UpstreamErrors.fromFailure(
                new io.vertx.core.impl.NoStackTraceTimeoutException("The timeout period of 30000ms has been exceeded"), 30_000, RID);
        assertThat(vertx.status()).isEqualTo(504);

        UpstreamAnswer sub = UpstreamErrors.fromFailure(new TimeoutException(), 300, RID);
        assertThat(message(sub)).contains("1 seconds");
    }

    @Test
    void otherFailuresAre502() throws IOException {
        UpstreamAnswer closed = UpstreamErrors.fromFailure(new ClosedChannelException(), 30_000, RID);
        assertThat(closed.status()).isEqualTo(502);
        assertThat(message(closed)).contains("closed the connection");
        UpstreamAnswer io = UpstreamErrors.fromFailure(new IOException("Connection reset by peer 10.1.2.3"), 30_000, RID);
        assertThat(io.status()).isEqualTo(502);
        assertThat(message(io)).contains("closed the connection").doesNotContain("10.1.2.3");
        UpstreamAnswer other = UpstreamErrors.fromFailure(new IllegalStateException("sk-live-secret"), 30_000, RID);
        assertThat(other.status()).isEqualTo(502);
        assertThat(message(other)).contains("could not be used").doesNotContain("sk-live");
        UpstreamAnswer tls = UpstreamErrors.fromFailure(new javax.net.ssl.SSLHandshakeException("PKIX path building failed for 10.1.2.3"),
                30_000, RID);
        assertThat(tls.status()).isEqualTo(502);
        assertThat(message(tls)).doesNotContain("10.1.2.3").doesNotContain("PKIX");
    }

    @Test
    void requestIdWithQuotesStillGivesValidJson() throws IOException {
        String rid = "r\"}\\\n<x>";
        assertThat(message(UpstreamErrors.fromStatus(500, new byte[0], null, rid))).contains(rid);
        assertThat(message(UpstreamErrors.fromStatus(504, new byte[0], null, rid))).contains(rid);
        assertThat(message(UpstreamErrors.fromFailure(new ConnectException(), 1000, rid))).contains(rid);
        assertThat(message(UpstreamErrors.fromFailure(new TimeoutException(), 1000, rid))).contains(rid);
    }
}
