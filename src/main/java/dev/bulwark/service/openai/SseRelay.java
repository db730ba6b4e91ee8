package dev.bulwark.service.openai;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Passes a server-sent-event stream on event by event as chunks arrive: each complete event (ended
 * by a blank line) is forwarded at once; a partial one waits for its end. On the way it reads the
 * usage event (the last one, {@code "choices":[]} with {@code usage}) and, when the client did not
 * ask for usage, leaves that event out so the client sees the stream it asked for.
 */
final class SseRelay {
    /** An event larger than this is passed on unread rather than held (usage in it is not counted). */
    static final int MAX_EVENT_BYTES = 1 << 20;

    private final boolean stripUsageEvent;
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] USAGE_KEY = "\"usage\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private byte[] pending = EMPTY;
    private long promptTokens;
    private long completionTokens;
    private boolean usageSeen;

    SseRelay(boolean stripUsageEvent) {
        this.stripUsageEvent = stripUsageEvent;
    }

    /** Takes one chunk from the upstream; returns the bytes to send the client now (possibly none). */
    byte[] accept(byte[] chunk) {
        byte[] data = pending.length == 0 ? chunk : concat(pending, chunk);
        ByteArrayOutputStream out = null;
        int eventStart = 0;
        int i = 0;
        int forwardedUpTo = 0;
        while (true) {
            int end = boundary(data, i);
            if (end < 0) {
                break;
            }
            boolean drop = inspect(data, eventStart, end);
            if (drop) {
                if (out == null) {
                    out = new ByteArrayOutputStream(data.length);
                }
                out.write(data, forwardedUpTo, eventStart - forwardedUpTo);
                forwardedUpTo = end;
            }
            eventStart = end;
            i = end;
        }
        if (data.length - eventStart > MAX_EVENT_BYTES) {
            eventStart = data.length; // give up holding it: pass it on as it is
        }
        pending = eventStart == data.length ? EMPTY : Arrays.copyOfRange(data, eventStart, data.length);
        if (out == null) {
            return eventStart == data.length && forwardedUpTo == 0 ? data : Arrays.copyOfRange(data, forwardedUpTo, eventStart);
        }
        out.write(data, forwardedUpTo, eventStart - forwardedUpTo);
        return out.toByteArray();
    }

    /** What is left when the upstream ends (an unterminated last event), passed on as it is. */
    byte[] finish() {
        byte[] rest = pending;
        pending = EMPTY;
        if (rest.length > 0) {
            inspect(rest, 0, rest.length);
        }
        return rest;
    }

    long promptTokens() {
        return promptTokens;
    }

    long completionTokens() {
        return completionTokens;
    }

    boolean usageSeen() {
        return usageSeen;
    }

    /** Reads one event [start, end); returns true when it is to be left out. */
    private boolean inspect(byte[] data, int start, int end) {
        int line = start;
        while (line < end) {
            int eol = line;
            while (eol < end && data[eol] != '\n' && data[eol] != '\r') {
                eol++;
            }
            if (eol - line >= 5 && data[line] == 'd' && data[line + 1] == 'a' && data[line + 2] == 't' && data[line + 3] == 'a'
                    && data[line + 4] == ':') {
                int from = line + 5;
                if (from < eol && data[from] == ' ') {
                    from++;
                }
                // Only an event that names "usage" can carry it: the others are not tokenised at all.
                if (eol - from > 1 && data[from] == '{' && contains(data, from, eol, USAGE_KEY)) {
                    UsageScanner usage = UsageScanner.of(data, from, eol - from);
                    if (usage.hasUsage()) {
                        promptTokens = usage.promptTokens();
                        completionTokens = usage.completionTokens();
                        usageSeen = true;
                        return stripUsageEvent && usage.choicesEmpty();
                    }
                }
            }
            line = eol + 1;
        }
        return false;
    }

    private static boolean contains(byte[] d, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (d[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The index just past the blank line that ends the event starting at or after {@code from}, or -1. */
    private static int boundary(byte[] d, int from) {
        for (int i = from; i < d.length - 1; i++) {
            if (d[i] == '\n' && d[i + 1] == '\n') {
                return i + 2;
            }
            if (d[i] == '\n' && d[i + 1] == '\r' && i + 2 < d.length && d[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
