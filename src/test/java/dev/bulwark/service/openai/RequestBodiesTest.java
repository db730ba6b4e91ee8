package dev.bulwark.service.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBodiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode parse(String s) {
        return RequestBodies.parse(b(s));
    }

    private static JsonNode sent(PreparedRequest p) throws Exception {
        return JSON.readTree(p.body());
    }

    private static String nested(int depth) {
        // An object holding arrays: depth levels in all.
        return "{\"x\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
    }

    @Test
    void emptyBodyIsRefused() {
        assertThatThrownBy(() -> RequestBodies.parse(new byte[0]))
                .isInstanceOf(RequestBodies.InvalidBody.class)
                .hasMessageContaining("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{", "{\"model\":}", "{\"model\":\"a\",}", "{'model':'a'}", "{\"a\":1} trailing",
            "{\"model\":\"a\"}{\"model\":\"b\"}", "{\"model\":\"a\"} {\"model\":\"b\"}", "{\"a\":1}]", "\u0000", "{\"a\":NaN}"})
    void nonJsonIsRefused(String body) {
        assertThatThrownBy(() -> parse(body)).as(body).isInstanceOf(RequestBodies.InvalidBody.class)
                .hasMessageStartingWith("The request body");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"model\":\"a\"}]", "\"string\"", "42", "null", "true", "   "})
    void nonObjectJsonIsRefused(String body) {
        assertThatThrownBy(() -> parse(body)).as(body).isInstanceOf(RequestBodies.InvalidBody.class)
                .hasMessageStartingWith("The request body");
    }

    @Test
    void duplicateKeysAreRefusedAtAnyDepth() {
        assertThatThrownBy(() -> parse("{\"model\":\"a\",\"model\":\"b\"}"))
                .isInstanceOf(RequestBodies.InvalidBody.class).hasMessageContaining("model");
        assertThatThrownBy(() -> parse("{\"messages\":[{\"content\":[{\"image_url\":{\"url\":\"http://a\",\"url\":\"http://b\"}}]}]}"))
                .isInstanceOf(RequestBodies.InvalidBody.class);
        assertThatThrownBy(() -> parse("{\"stream\":false,\"stream\":true}"))
                .isInstanceOf(RequestBodies.InvalidBody.class);
        // Same key in sibling objects is fine.
        assertThat(parse("{\"messages\":[{\"role\":\"user\"},{\"role\":\"assistant\"}]}").get("messages")).hasSize(2);
    }

    @Test
    void nestingUpTo64IsAcceptedBeyondIsRefused() {
        assertThat(parse(nested(64))).isNotNull();
        assertThatThrownBy(() -> parse(nested(65))).isInstanceOf(RequestBodies.InvalidBody.class);
        assertThatThrownBy(() -> parse(nested(100_000))).isInstanceOf(RequestBodies.InvalidBody.class);
    }

    @Test
    void invalidBodyMessagesDoNotCarryAStackOrTheParserSource() {
        RequestBodies.InvalidBody e = org.junit.jupiter.api.Assertions.assertThrows(RequestBodies.InvalidBody.class,
                () -> parse("{\"model\":\"a\",\"model\":\"b\"}"));
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getMessage()).doesNotContain("Source:").doesNotContain("com.fasterxml");
    }

    @Test
    void modelIsReadAsAString() {
        assertThat(RequestBodies.model(parse("{\"model\":\"gpt-4o\"}"))).isEqualTo("gpt-4o");
        assertThat(RequestBodies.model(parse("{\"messages\":[]}"))).isNull();
        assertThat(RequestBodies.model(parse("{\"model\":null}"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"model\":1}", "{\"model\":true}", "{\"model\":[\"a\"]}", "{\"model\":{\"name\":\"a\"}}", "{\"model\":1.5}"})
    void nonStringModelIsRefused(String body) {
        ObjectNode o = parse(body);
        assertThatThrownBy(() -> RequestBodies.model(o)).isInstanceOf(RequestBodies.InvalidBody.class)
                .hasMessageContaining("'model' must be a string");
    }

    @Test
    void prepareReplacesTheModelAndKeepsEverythingElse() throws Exception {
        ObjectNode body = parse("{\"model\":\"my-deployment\",\"messages\":[{\"role\":\"user\",\"content\":\"hi ✓\"}],"
                + "\"temperature\":0.2,\"n\":2}");
        PreparedRequest p = RequestBodies.prepare(body, "meta-llama/Llama-3-8B", OpenAiOperation.CHAT_COMPLETIONS);
        JsonNode s = sent(p);
        assertThat(s.get("model").textValue()).isEqualTo("meta-llama/Llama-3-8B");
        assertThat(s.get("messages").get(0).get("content").textValue()).isEqualTo("hi ✓");
        assertThat(s.get("temperature").doubleValue()).isEqualTo(0.2);
        assertThat(s.get("n").intValue()).isEqualTo(2);
        assertThat(s.has("stream_options")).isFalse();
        assertThat(p.stream()).isFalse();
        assertThat(p.stripUsage()).isFalse();
    }

    @Test
    void prepareAddsTheModelWhenAbsent() throws Exception {
        PreparedRequest p = RequestBodies.prepare(parse("{\"messages\":[]}"), "up", OpenAiOperation.CHAT_COMPLETIONS);
        assertThat(sent(p).get("model").textValue()).isEqualTo("up");
    }

    @Test
    void streamingAsksForUsageAndMarksItForStripping() throws Exception {
        PreparedRequest p = RequestBodies.prepare(parse("{\"model\":\"d\",\"stream\":true,\"messages\":[]}"), "up",
                OpenAiOperation.CHAT_COMPLETIONS);
        assertThat(p.stream()).isTrue();
        assertThat(p.stripUsage()).isTrue();
        JsonNode s = sent(p);
        assertThat(s.get("stream").booleanValue()).isTrue();
        assertThat(s.get("stream_options").get("include_usage").isBoolean()).isTrue();
        assertThat(s.get("stream_options").get("include_usage").booleanValue()).isTrue();
    }

    @Test
    void legacyCompletionsStreamAlsoAsksForUsage() throws Exception {
        PreparedRequest p = RequestBodies.prepare(parse("{\"stream\":true,\"prompt\":\"x\"}"), "up", OpenAiOperation.COMPLETIONS);
        assertThat(p.stream()).isTrue();
        assertThat(p.stripUsage()).isTrue();
        assertThat(sent(p).at("/stream_options/include_usage").booleanValue()).isTrue();
    }

    @Test
    void clientThatAskedForUsageSeesItAndItsOptionsAreKept() throws Exception {
        PreparedRequest p = RequestBodies.prepare(parse("{\"stream\":true,\"stream_options\":{\"include_usage\":true,"
                + "\"continuous_usage_stats\":false}}"), "up", OpenAiOperation.CHAT_COMPLETIONS);
        assertThat(p.stream()).isTrue();
        assertThat(p.stripUsage()).isFalse();
        JsonNode o = sent(p).get("stream_options");
        assertThat(o.get("include_usage").booleanValue()).isTrue();
        assertThat(o.get("continuous_usage_stats").booleanValue()).isFalse();
        assertThat(o.size()).isEqualTo(2);
    }

    @Test
    void existingStreamOptionsKeepTheirOtherFieldsWhenUsageIsAdded() throws Exception {
        PreparedRequest p = RequestBodies.prepare(parse("{\"stream\":true,\"stream_options\":{\"include_obfuscation\":false,"
                + "\"include_usage\":false}}"), "up", OpenAiOperation.CHAT_COMPLETIONS);
        assertThat(p.stripUsage()).isTrue();
        JsonNode o = sent(p).get("stream_options");
        assertThat(o.get("include_usage").booleanValue()).isTrue();
        assertThat(o.get("include_obfuscation").booleanValue()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "\"x\"", "[]", "[{\"include_usage\":true}]", "5"})
    void streamOptionsThatAreNotAnObjectAreReplaced(String options) throws Exception {
        PreparedRequest p = RequestBodies.prepare(parse("{\"stream\":true,\"stream_options\":" + options + "}"), "up",
                OpenAiOperation.CHAT_COMPLETIONS);
        assertThat(p.stripUsage()).isTrue();
        assertThat(sent(p).get("stream_options").isObject()).isTrue();
        assertThat(sent(p).at("/stream_options/include_usage").booleanValue()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"true\"", "1", "\"1\"", "2", "{}", "\"yes\""})
    void includeUsageThatIsNotTheBooleanTrueDoesNotCountAsAsked(String value) throws Exception {
        // The upstream may read a non-boolean as false (llama.cpp falls back to its default): then no
        // usage event would come and the answer's tokens would escape the token quota.
        PreparedRequest p = RequestBodies.prepare(parse("{\"stream\":true,\"stream_options\":{\"include_usage\":" + value + "}}"),
                "up", OpenAiOperation.CHAT_COMPLETIONS);
        JsonNode iu = sent(p).at("/stream_options/include_usage");
        assertThat(iu.isBoolean()).as(value).isTrue();
        assertThat(iu.booleanValue()).as(value).isTrue();
        assertThat(p.stripUsage()).as(value).isTrue();
    }

    @Test
    void embeddingsNeverGetStreamOptions() throws Exception {
        PreparedRequest p = RequestBodies.prepare(parse("{\"input\":\"x\",\"stream\":true}"), "emb", OpenAiOperation.EMBEDDINGS);
        assertThat(p.stream()).isFalse();
        assertThat(p.stripUsage()).isFalse();
        assertThat(sent(p).has("stream_options")).isFalse();
        assertThat(sent(p).get("model").textValue()).isEqualTo("emb");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"true\"", "1", "\"yes\"", "\"on\"", "{}", "[true]"})
    void aStreamThatIsNotTheBooleanTrueIsNotAStream(String value) throws Exception {
        PreparedRequest p = RequestBodies.prepare(parse("{\"stream\":" + value + ",\"messages\":[]}"), "up",
                OpenAiOperation.CHAT_COMPLETIONS);
        assertThat(p.stream()).isFalse();
        assertThat(p.stripUsage()).isFalse();
        JsonNode s = sent(p);
        assertThat(s.has("stream_options")).isFalse();
        // What goes upstream must agree: a lenient upstream (pydantic reads "true", 1, "yes", "on" as true)
        // must not be able to stream an answer Bulwark asked no usage for.
        JsonNode stream = s.get("stream");
        assertThat(stream == null || stream.isNull() || (stream.isBoolean() && !stream.booleanValue())).as(value).isTrue();
    }

    @Test
    void streamFalseOrNullIsNotAStream() throws Exception {
        for (String v : new String[] {"false", "null"}) {
            PreparedRequest p = RequestBodies.prepare(parse("{\"stream\":" + v + "}"), "up", OpenAiOperation.CHAT_COMPLETIONS);
            assertThat(p.stream()).isFalse();
            assertThat(sent(p).has("stream_options")).isFalse();
        }
    }

    @Test
    void preparedBodyIsCompactJsonParsedFromTheCheckedTree() throws Exception {
        // Whitespace, escapes and unicode are re-serialised from the parse, not copied from the client.
        ObjectNode body = parse("{ \"model\" : \"d\" , \"messages\" : [ {\"content\":\"\\u0041\\n\"} ] }");
        PreparedRequest p = RequestBodies.prepare(body, "up", OpenAiOperation.CHAT_COMPLETIONS);
        assertThat(new String(p.body(), StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"up\",\"messages\":[{\"content\":\"A\\n\"}]}");
    }
}
