package dev.bulwark.service.openai;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SseRelayTest {
    private static final String E1 = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n";
    private static final String E2 = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Héllo 😀\"},"
            + "\"finish_reason\":null}],\"usage\":null}\n\n";
    private static final String E3 = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"usage\":null}\n\n";
    private static final String USAGE = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n";
    private static final String DONE = "data: [DONE]\n\n";
    private static final String STREAM = E1 + E2 + E3 + USAGE + DONE;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Feeds the chunks; returns each accept's output and, last, finish()'s. */
    private static List<byte[]> relay(SseRelay r, byte[]... chunks) {
        List<byte[]> outs = new ArrayList<>();
        for (byte[] c : chunks) {
            outs.add(r.accept(c));
        }
        outs.add(r.finish());
        return outs;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        parts.forEach(p -> o.write(p, 0, p.length));
        return o.toByteArray();
    }

    /** Indexes just past each event's terminating blank line. */
    private static List<Integer> boundaries(byte[] in) {
        List<Integer> ends = new ArrayList<>();
        String text = new String(in, StandardCharsets.ISO_8859_1);
        int from = 0;
        while (true) {
            int lf = text.indexOf("\n\n", from);
            int crlf = text.indexOf("\r\n\r\n", from);
            int end;
            if (lf < 0 && crlf < 0) {
                return ends;
            } else if (crlf < 0 || (lf >= 0 && lf + 2 <= crlf + 4)) {
                end = lf + 2;
            } else {
                end = crlf + 4;
            }
            ends.add(end);
            from = end;
        }
    }

    @Test
    void wholeStreamPassesByteIdenticalWhenNotStripping() {
        SseRelay r = new SseRelay(false);
        byte[] in = b(STREAM);
        byte[] out = r.accept(in);
        assertThat(out).isEqualTo(in);
        assertThat(r.finish()).isEmpty();
        assertThat(r.usageSeen()).isTrue();
        assertThat(r.promptTokens()).isEqualTo(11);
        assertThat(r.completionTokens()).isEqualTo(7);
    }

    @Test
    void usageEventIsRemovedWhenStrippingAndTokensAreStillRead() {
        SseRelay r = new SseRelay(true);
        byte[] out = concat(relay(r, b(STREAM)));
        assertThat(s(out)).isEqualTo(E1 + E2 + E3 + DONE);
        assertThat(s(out)).doesNotContain("prompt_tokens");
        assertThat(r.usageSeen()).isTrue();
        assertThat(r.promptTokens()).isEqualTo(11);
        assertThat(r.completionTokens()).isEqualTo(7);
    }

    @Test
    void withoutAUsageEventNothingIsCounted() {
        SseRelay r = new SseRelay(true);
        byte[] in = b(E1 + E2 + E3 + DONE);
        assertThat(concat(relay(r, in))).isEqualTo(in);
        assertThat(r.usageSeen()).isFalse();
        assertThat(r.promptTokens()).isZero();
        assertThat(r.completionTokens()).isZero();
    }

    @Test
    void usageNullChunksAreNeverRemoved() {
        SseRelay r = new SseRelay(true);
        String nullUsageEmptyChoices = "data: {\"choices\":[],\"usage\":null}\n\n";
        String filterOnly = "data: {\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0}]}\n\n";
        byte[] in = b(filterOnly + E1 + nullUsageEmptyChoices + DONE);
        assertThat(concat(relay(r, in))).isEqualTo(in);
        assertThat(r.usageSeen()).isFalse();
    }

    @Test
    void aChunkWithChoicesAndUsageIsKeptEvenWhenStripping() {
        // Some servers report usage on a content chunk: it carries content the client needs.
        String both = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}\n\n";
        SseRelay r = new SseRelay(true);
        byte[] in = b(E1 + both + DONE);
        assertThat(concat(relay(r, in))).isEqualTo(in);
        assertThat(r.promptTokens()).isEqualTo(3);
        assertThat(r.completionTokens()).isEqualTo(1);
    }

    @Test
    void doneMarkerPassesAlone() {
        SseRelay r = new SseRelay(true);
        assertThat(s(r.accept(b(DONE)))).isEqualTo(DONE);
        assertThat(r.finish()).isEmpty();
    }

    @Test
    void crlfLineEndings() {
        String stream = STREAM.replace("\n", "\r\n");
        SseRelay keep = new SseRelay(false);
        assertThat(s(concat(relay(keep, b(stream))))).isEqualTo(stream);
        assertThat(keep.promptTokens()).isEqualTo(11);
        assertThat(keep.completionTokens()).isEqualTo(7);

        SseRelay strip = new SseRelay(true);
        assertThat(s(concat(relay(strip, b(stream))))).isEqualTo((E1 + E2 + E3 + DONE).replace("\n", "\r\n"));
        assertThat(strip.promptTokens()).isEqualTo(11);
    }

    @Test
    void dataWithoutSpaceAndOtherFieldsAreHandled() {
        String usage = "event: message\nid: 4\ndata:{\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":9}}\n\n";
        String comment = ": keep-alive\n\n";
        SseRelay r = new SseRelay(true);
        assertThat(s(concat(relay(r, b(comment + E1 + usage + DONE))))).isEqualTo(comment + E1 + DONE);
        assertThat(r.promptTokens()).isEqualTo(2);
        assertThat(r.completionTokens()).isEqualTo(9);
    }

    /** Splits the input into two chunks at every offset; checks what comes out of each call. */
    private static void everyTwoWaySplit(String stream, boolean strip, String expectedOut) {
        byte[] in = b(stream);
        List<Integer> ends = boundaries(in);
        for (int k = 0; k <= in.length; k++) {
            SseRelay r = new SseRelay(strip);
            byte[] first = r.accept(Arrays.copyOfRange(in, 0, k));
            byte[] second = r.accept(Arrays.copyOfRange(in, k, in.length));
            byte[] last = r.finish();
            assertThat(s(concat(List.of(first, second, last)))).as("split at %d", k).isEqualTo(expectedOut);
            if (!strip) {
                int released = 0;
                for (int e : ends) {
                    if (e <= k) {
                        released = e;
                    }
                }
                assertThat(first).as("first chunk of split at %d", k).isEqualTo(Arrays.copyOfRange(in, 0, released));
            }
            assertThat(last).as("finish after split at %d", k).isEmpty();
            assertThat(r.promptTokens()).isEqualTo(11);
            assertThat(r.completionTokens()).isEqualTo(7);
        }
    }

    @Test
    void splitAtEveryOffsetKeeping() {
        everyTwoWaySplit(STREAM, false, STREAM);
    }

    @Test
    void splitAtEveryOffsetStripping() {
        everyTwoWaySplit(STREAM, true, E1 + E2 + E3 + DONE);
    }

    @Test
    void splitAtEveryOffsetCrlf() {
        everyTwoWaySplit(STREAM.replace("\n", "\r\n"), false, STREAM.replace("\n", "\r\n"));
        everyTwoWaySplit(STREAM.replace("\n", "\r\n"), true, (E1 + E2 + E3 + DONE).replace("\n", "\r\n"));
    }

    /** One byte at a time: after each byte, exactly the events completed so far have come out. */
    private static void byteAtATime(String stream, boolean strip, List<String> events, String dropped) {
        byte[] in = b(stream);
        SseRelay r = new SseRelay(strip);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int fed = 0;
        int[] ends = new int[events.size()];
        int acc = 0;
        for (int i = 0; i < events.size(); i++) {
            acc += b(events.get(i)).length;
            ends[i] = acc;
        }
        for (byte x : in) {
            byte[] out = r.accept(new byte[] {x});
            got.write(out, 0, out.length);
            fed++;
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < events.size(); i++) {
                if (ends[i] <= fed && !(strip && events.get(i).equals(dropped))) {
                    expected.append(events.get(i));
                }
            }
            assertThat(s(got.toByteArray())).as("after %d bytes", fed).isEqualTo(expected.toString());
        }
        assertThat(r.finish()).isEmpty();
        assertThat(r.promptTokens()).isEqualTo(11);
    }

    @Test
    void eachEventIsReleasedAsSoonAsItsBlankLineArrives() {
        List<String> events = List.of(E1, E2, E3, USAGE, DONE);
        byteAtATime(STREAM, false, events, USAGE);
        byteAtATime(STREAM, true, events, USAGE);
        List<String> crlf = events.stream().map(e -> e.replace("\n", "\r\n")).toList();
        byteAtATime(String.join("", crlf), false, crlf, crlf.get(3));
        byteAtATime(String.join("", crlf), true, crlf, crlf.get(3));
    }

    @Test
    void randomChunkingGivesTheSameStream() {
        Random random = new Random(7);
        byte[] in = b(STREAM + STREAM);
        for (int round = 0; round < 500; round++) {
            boolean strip = round % 2 == 0;
            SseRelay r = new SseRelay(strip);
            List<byte[]> outs = new ArrayList<>();
            int pos = 0;
            while (pos < in.length) {
                int n = 1 + random.nextInt(Math.min(64, in.length - pos));
                outs.add(r.accept(Arrays.copyOfRange(in, pos, pos + n)));
                pos += n;
            }
            outs.add(r.finish());
            String expected = strip ? (E1 + E2 + E3 + DONE).repeat(2) : STREAM + STREAM;
            assertThat(s(concat(outs))).as("round %d", round).isEqualTo(expected);
        }
    }

    @Test
    void emptyChunksChangeNothing() {
        SseRelay r = new SseRelay(false);
        assertThat(r.accept(new byte[0])).isEmpty();
        assertThat(r.accept(b("data: {\"a\":1}\n"))).isEmpty();
        assertThat(r.accept(new byte[0])).isEmpty();
        assertThat(s(r.accept(b("\n")))).isEqualTo("data: {\"a\":1}\n\n");
        assertThat(r.finish()).isEmpty();
    }

    @Test
    void unterminatedLastEventIsReturnedByFinish() {
        SseRelay r = new SseRelay(false);
        String tail = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":5}}";
        assertThat(s(r.accept(b(E1 + tail)))).isEqualTo(E1);
        assertThat(s(r.finish())).isEqualTo(tail);
        assertThat(r.finish()).isEmpty();
        assertThat(r.promptTokens()).isEqualTo(4);
        assertThat(r.completionTokens()).isEqualTo(5);

        SseRelay single = new SseRelay(false);
        assertThat(s(single.accept(b("data: [DONE]\n")))).isEmpty();
        assertThat(s(single.finish())).isEqualTo("data: [DONE]\n");
    }

    @Test
    void anOversizedEventWithoutABoundaryIsPassedOnNotHeldForever() {
        SseRelay r = new SseRelay(true);
        byte[] big = new byte[SseRelay.MAX_EVENT_BYTES + 1];
        Arrays.fill(big, (byte) 'a');
        System.arraycopy(b("data: "), 0, big, 0, 6);
        assertThat(r.accept(big)).isEqualTo(big);
        assertThat(r.finish()).isEmpty();
    }

    @Test
    void anOversizedEventArrivingInPiecesIsReleasedOnceOverTheLimit() {
        SseRelay r = new SseRelay(false);
        byte[] piece = new byte[64 * 1024];
        Arrays.fill(piece, (byte) 'x');
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] head = b(E1 + "data: ");
        byte[] o = r.accept(head);
        sent.write(head, 0, head.length);
        got.write(o, 0, o.length);
        int held = 6;
        while (held <= SseRelay.MAX_EVENT_BYTES) {
            o = r.accept(piece);
            sent.write(piece, 0, piece.length);
            got.write(o, 0, o.length);
            held += piece.length;
        }
        // Now over the limit: everything so far has gone out.
        assertThat(got.toByteArray()).isEqualTo(sent.toByteArray());
        // The rest of the event and the following events still flow, byte-identical.
        byte[] rest = b("xyz\n\n" + USAGE + DONE);
        o = r.accept(rest);
        got.write(o, 0, o.length);
        sent.write(rest, 0, rest.length);
        byte[] f = r.finish();
        got.write(f, 0, f.length);
        assertThat(got.toByteArray()).isEqualTo(sent.toByteArray());
        assertThat(r.promptTokens()).isEqualTo(11);
    }

    @Test
    void anEventJustUnderTheLimitIsStillHeldWhole() {
        SseRelay r = new SseRelay(false);
        byte[] big = new byte[SseRelay.MAX_EVENT_BYTES];
        Arrays.fill(big, (byte) 'a');
        assertThat(r.accept(big)).isEmpty();
        assertThat(s(r.accept(b("\n\n")))).hasSize(SseRelay.MAX_EVENT_BYTES + 2);
    }

    @Test
    void nonJsonDataLinesPassUntouched() {
        String weird = "data: {not json\n\ndata: {\"choices\":[]}\n\ndata: {\n\nretry: 10\n\n";
        SseRelay r = new SseRelay(true);
        assertThat(s(concat(relay(r, b(weird))))).isEqualTo(weird);
        assertThat(r.usageSeen()).isFalse();
    }
}
