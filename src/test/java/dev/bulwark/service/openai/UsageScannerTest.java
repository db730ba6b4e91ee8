package dev.bulwark.service.openai;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class UsageScannerTest {
    private static final String CHAT = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Héllo wörld ✓ 😀","refusal":null},
               "logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,
               "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0,"prompt_tokens":999999},
               "completion_tokens_details":{"reasoning_tokens":0,"completion_tokens":888888,"accepted_prediction_tokens":0}},
             "system_fingerprint":"fp_1"}""";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static UsageScanner scan(String json) {
        byte[] b = bytes(json);
        return UsageScanner.of(b, 0, b.length);
    }

    @Test
    void chatCompletionWithUsageAtTheEnd() {
        UsageScanner s = scan(CHAT);
        assertThat(s.hasUsage()).isTrue();
        assertThat(s.promptTokens()).isEqualTo(19);
        assertThat(s.completionTokens()).isEqualTo(10);
        assertThat(s.choicesEmpty()).isFalse();
    }

    @Test
    void usageBeforeChoices() {
        UsageScanner s = scan("{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7},\"choices\":[{\"index\":0}]}");
        assertThat(s.hasUsage()).isTrue();
        assertThat(s.promptTokens()).isEqualTo(5);
        assertThat(s.completionTokens()).isEqualTo(7);
        assertThat(s.choicesEmpty()).isFalse();
    }

    @Test
    void nestedDetailsWithLookAlikeFieldsDoNotOverride() {
        // Details come after and before the real counts: neither order may override.
        UsageScanner after = scan("{\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,"
                + "\"prompt_tokens_details\":{\"prompt_tokens\":100,\"completion_tokens\":200,\"x\":{\"prompt_tokens\":300}}}}");
        assertThat(after.promptTokens()).isEqualTo(3);
        assertThat(after.completionTokens()).isEqualTo(4);
        UsageScanner before = scan("{\"usage\":{\"prompt_tokens_details\":{\"prompt_tokens\":100,\"completion_tokens\":200},"
                + "\"completion_tokens_details\":[{\"completion_tokens\":5}],\"prompt_tokens\":3,\"completion_tokens\":4}}");
        assertThat(before.promptTokens()).isEqualTo(3);
        assertThat(before.completionTokens()).isEqualTo(4);
        // Only nested look-alikes: no usage at all.
        UsageScanner onlyNested = scan("{\"usage\":{\"prompt_tokens_details\":{\"prompt_tokens\":100}}}");
        assertThat(onlyNested.hasUsage()).isFalse();
        assertThat(onlyNested.promptTokens()).isZero();
    }

    @Test
    void aUsageKeyNestedDeeperIsIgnored() {
        UsageScanner s = scan("{\"choices\":[{\"message\":{\"content\":\"x\",\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":2000}}}],"
                + "\"data\":{\"usage\":{\"prompt_tokens\":1}}}");
        assertThat(s.hasUsage()).isFalse();
        assertThat(s.promptTokens()).isZero();
        assertThat(s.completionTokens()).isZero();

        UsageScanner both = scan("{\"choices\":[{\"message\":{\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":2000}}}],"
                + "\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3}}");
        assertThat(both.promptTokens()).isEqualTo(2);
        assertThat(both.completionTokens()).isEqualTo(3);

        // A top-level array of objects has no top-level usage.
        assertThat(scan("[{\"usage\":{\"prompt_tokens\":5}}]").hasUsage()).isFalse();
    }

    @Test
    void usageInsideAStringIsNotUsage() {
        UsageScanner s = scan("{\"choices\":[{\"text\":\"\\\"usage\\\":{\\\"prompt_tokens\\\":9}\"}],\"note\":\"usage\"}");
        assertThat(s.hasUsage()).isFalse();
    }

    @Test
    void usageNullOrOtherShapesGiveNoUsage() {
        assertThat(scan("{\"choices\":[{\"delta\":{\"content\":\"hi\"}}],\"usage\":null}").hasUsage()).isFalse();
        assertThat(scan("{\"usage\":5,\"choices\":[]}").hasUsage()).isFalse();
        assertThat(scan("{\"usage\":\"prompt_tokens\"}").hasUsage()).isFalse();
        assertThat(scan("{\"usage\":[{\"prompt_tokens\":5}]}").hasUsage()).isFalse();
        assertThat(scan("{\"usage\":{\"prompt_tokens\":\"5\"}}").hasUsage()).isFalse();
        assertThat(scan("{\"usage\":{}}").hasUsage()).isFalse();
    }

    @Test
    void usageValueAfterANullUsageKeyIsNotConfused() {
        // "usage":null followed by another top-level object: that object is not usage.
        UsageScanner s = scan("{\"usage\":null,\"other\":{\"prompt_tokens\":77}}");
        assertThat(s.hasUsage()).isFalse();
    }

    @Test
    void embeddingsUsageHasNoCompletionTokens() {
        UsageScanner s = scan("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,-0.2,3e-5]}],"
                + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}");
        assertThat(s.hasUsage()).isTrue();
        assertThat(s.promptTokens()).isEqualTo(8);
        assertThat(s.completionTokens()).isZero();
        assertThat(s.choicesEmpty()).isFalse();
    }

    @Test
    void zeroPromptTokensStillCountsAsUsage() {
        UsageScanner s = scan("{\"usage\":{\"prompt_tokens\":0,\"completion_tokens\":0}}");
        assertThat(s.hasUsage()).isTrue();
        assertThat(s.promptTokens()).isZero();
    }

    @Test
    void largeTokenCountsAreRead() {
        UsageScanner s = scan("{\"usage\":{\"prompt_tokens\":3000000000,\"completion_tokens\":4000000000}}");
        assertThat(s.promptTokens()).isEqualTo(3_000_000_000L);
        assertThat(s.completionTokens()).isEqualTo(4_000_000_000L);
    }

    @Test
    void theSameDocumentOneByteAtATimeGivesTheSameResult() {
        byte[] b = bytes(CHAT);
        UsageScanner s = new UsageScanner();
        for (int i = 0; i < b.length; i++) {
            s.feed(b, i, 1);
        }
        s.end();
        assertThat(s.hasUsage()).isTrue();
        assertThat(s.promptTokens()).isEqualTo(19);
        assertThat(s.completionTokens()).isEqualTo(10);
        assertThat(s.choicesEmpty()).isFalse();
    }

    @Test
    void randomSplitsGiveTheSameResult() {
        String[] docs = {
                CHAT,
                "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":12345,\"completion_tokens\":678,"
                        + "\"prompt_tokens_details\":{\"prompt_tokens\":1}}}",
                "{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2},\"choices\":[[]]}",
        };
        long[][] expected = {{19, 10, 0}, {12345, 678, 1}, {1, 2, 0}};
        Random random = new Random(42);
        for (int d = 0; d < docs.length; d++) {
            byte[] b = bytes(docs[d]);
            for (int round = 0; round < 300; round++) {
                UsageScanner s = new UsageScanner();
                // A buffer the scanner does not own: overwritten after each feed, as a network buffer would be.
                int pos = 0;
                while (pos < b.length) {
                    int n = 1 + random.nextInt(Math.min(12, b.length - pos));
                    byte[] chunk = new byte[n + 4];
                    System.arraycopy(b, pos, chunk, 2, n);
                    s.feed(chunk, 2, n);
                    java.util.Arrays.fill(chunk, (byte) 'X');
                    pos += n;
                }
                s.end();
                assertThat(s.hasUsage()).isTrue();
                assertThat(s.promptTokens()).as("doc %d round %d", d, round).isEqualTo(expected[d][0]);
                assertThat(s.completionTokens()).isEqualTo(expected[d][1]);
                assertThat(s.choicesEmpty()).isEqualTo(expected[d][2] == 1);
            }
        }
    }

    @Test
    void choicesEmptyOnlyForATopLevelEmptyArray() {
        assertThat(scan("{\"choices\":[],\"usage\":{\"prompt_tokens\":1}}").choicesEmpty()).isTrue();
        assertThat(scan("{\"choices\":[ ],\"usage\":{\"prompt_tokens\":1}}").choicesEmpty()).isTrue();
        assertThat(scan("{\"usage\":{\"prompt_tokens\":1},\"choices\":[]}").choicesEmpty()).isTrue();
        assertThat(scan("{\"choices\":[{}]}").choicesEmpty()).isFalse();
        assertThat(scan("{\"choices\":[1]}").choicesEmpty()).isFalse();
        assertThat(scan("{\"choices\":[[]]}").choicesEmpty()).isFalse();
        assertThat(scan("{\"choices\":[null]}").choicesEmpty()).isFalse();
        assertThat(scan("{\"choices\":[\"\"]}").choicesEmpty()).isFalse();
        assertThat(scan("{\"choices\":[[],[]]}").choicesEmpty()).isFalse();
        assertThat(scan("{\"choices\":{}}").choicesEmpty()).isFalse();
        assertThat(scan("{\"choices\":null}").choicesEmpty()).isFalse();
        assertThat(scan("{\"usage\":{\"prompt_tokens\":1}}").choicesEmpty()).isFalse();
        assertThat(scan("{}").choicesEmpty()).isFalse();
        // Nested empty "choices" is not the top-level one.
        assertThat(scan("{\"choices\":[{\"choices\":[]}]}").choicesEmpty()).isFalse();
        assertThat(scan("{\"x\":{\"choices\":[]}}").choicesEmpty()).isFalse();
        assertThat(scan("[{\"choices\":[]}]").choicesEmpty()).isFalse();
    }

    @Test
    void choicesEmptyByteAtATime() {
        byte[] b = bytes("{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}");
        UsageScanner s = new UsageScanner();
        for (int i = 0; i < b.length; i++) {
            s.feed(b, i, 1);
        }
        s.end();
        assertThat(s.choicesEmpty()).isTrue();
        assertThat(s.promptTokens()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "not json", "<html>502 Bad Gateway</html>", "data: {\"usage\":{\"prompt_tokens\":5}}",
            "{\"choices\":[", "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"trunc", "{\"usage\":",
            "{\"usage\":{", "{\"usage\":{\"prompt_tokens\"", "{\"usage\":{\"prompt_tokens\":", "{{{{", "}", "]", "\u0000\u0001",
            "{\"a\":1,}", "{'usage':{'prompt_tokens':5}}"
    })
    void nonJsonOrTruncatedInputYieldsNoUsageAndNoException(String input) {
        byte[] b = bytes(input);
        assertThatCode(() -> {
            UsageScanner s = UsageScanner.of(b, 0, b.length);
            assertThat(s.hasUsage()).isFalse();
            assertThat(s.promptTokens()).isZero();
            assertThat(s.completionTokens()).isZero();
            assertThat(s.choicesEmpty()).isFalse();
        }).doesNotThrowAnyException();
    }

    @Test
    void everyTruncationOfARealAnswerYieldsNoUsage() {
        // Cut in the middle of "prompt_tokens":19 must not count 1 token; cut anywhere, nothing is counted.
        byte[] b = bytes(CHAT);
        for (int cut = 0; cut < b.length; cut++) {
            UsageScanner s = new UsageScanner();
            s.feed(b, 0, cut);
            s.end();
            assertThat(s.hasUsage()).as("cut at %d", cut).isFalse();
            assertThat(s.promptTokens()).as("cut at %d", cut).isZero();
            assertThat(s.completionTokens()).as("cut at %d", cut).isZero();
        }
    }

    @Test
    void aCountCutShortIsNotTakenForTheCount() {
        UsageScanner s = scan("{\"choices\":[],\"usage\":{\"prompt_tokens\":12");
        assertThat(s.hasUsage()).isFalse();
        assertThat(s.promptTokens()).isZero();
        assertThat(s.choicesEmpty()).isFalse();
    }

    @Test
    void aNumberTooLargeForALongCountsNothing() {
        UsageScanner s = scan("{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":99999999999999999999999}}");
        assertThat(s.hasUsage()).isFalse();
        assertThat(s.completionTokens()).isZero();
    }

    @Test
    void bytesAfterBrokenInputAreIgnoredQuietly() {
        UsageScanner s = new UsageScanner();
        byte[] junk = bytes("}}}garbage");
        s.feed(junk, 0, junk.length);
        byte[] good = bytes("{\"usage\":{\"prompt_tokens\":5}}");
        s.feed(good, 0, good.length);
        s.end();
        s.end();
        assertThat(s.hasUsage()).isFalse();
    }

    @Test
    void emptyFeedsAreHarmless() {
        UsageScanner s = new UsageScanner();
        byte[] b = bytes("{\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":1}}");
        s.feed(b, 0, 0);
        s.feed(b, 0, b.length);
        s.feed(b, b.length, 0);
        s.end();
        assertThat(s.promptTokens()).isEqualTo(6);
    }

    @Test
    void scansASliceOfALargerBuffer() {
        byte[] b = bytes("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":1}}\n\n");
        UsageScanner s = UsageScanner.of(b, 6, b.length - 8);
        assertThat(s.promptTokens()).isEqualTo(6);
        assertThat(s.completionTokens()).isEqualTo(1);
        assertThat(s.choicesEmpty()).isTrue();
    }
}
