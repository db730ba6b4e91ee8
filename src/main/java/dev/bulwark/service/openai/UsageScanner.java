package dev.bulwark.service.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;

import java.io.IOException;

/**
 * Finds the token counts in an OpenAI answer as its bytes pass by, without holding the answer:
 * a non-blocking JSON parser is fed each chunk and remembers {@code usage.prompt_tokens} and
 * {@code usage.completion_tokens} of the top-level object, and whether {@code choices} was an empty
 * array (the shape of the usage-only last event of a stream). Anything that is not such JSON simply
 * yields no usage; the bytes are passed on unchanged either way.
 */
final class UsageScanner {
    private static final JsonFactory JSON = new JsonFactory();

    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private static final int NONE = 0;
    private static final int PENDING_USAGE = 1;
    private static final int PENDING_CHOICES = 2;
    private static final int OPEN_EMPTY = 3;
    private static final int OPEN_FILLED = 4;

    private int depth;
    /** The top-level field whose value comes next, if it is one we watch. */
    private int pending;
    /** State of the top-level "choices" array while it is open. */
    private int choices;
    private boolean inUsage;
    private String usageField;
    private long promptTokens = -1;
    private long completionTokens = -1;
    private boolean choicesEmpty;
    private boolean broken;
    /** The top-level value was read to its end (a truncated document counts no tokens). */
    private boolean complete;

    UsageScanner() {
        try {
            this.parser = JSON.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException("Jackson cannot create a non-blocking parser", e);
        }
        this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    /** Scans one whole JSON document. */
    static UsageScanner of(byte[] json, int offset, int length) {
        UsageScanner s = new UsageScanner();
        s.feed(json, offset, length);
        s.end();
        return s;
    }

    void feed(byte[] bytes, int offset, int length) {
        if (broken || length == 0) {
            return;
        }
        try {
            feeder.feedInput(bytes, offset, offset + length);
            drain();
        } catch (IOException | RuntimeException e) {
            // Not JSON (or not the JSON we expect): count no tokens, pass the bytes on regardless.
            broken = true;
        }
    }

    void end() {
        if (!broken) {
            feeder.endOfInput();
            try {
                drain();
            } catch (IOException | RuntimeException e) {
                broken = true;
            }
        }
    }

    private void drain() throws IOException {
        JsonToken t;
        while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
            // Any token directly inside an open "choices" array means it is not empty.
            if (choices == OPEN_EMPTY && depth == 2 && t != JsonToken.END_ARRAY) {
                choices = OPEN_FILLED;
            }
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    if (pending == PENDING_CHOICES && t == JsonToken.START_ARRAY) {
                        choices = OPEN_EMPTY;
                    }
                    if (pending == PENDING_USAGE && t == JsonToken.START_OBJECT) {
                        inUsage = true;
                    }
                    pending = NONE;
                    depth++;
                }
                case END_OBJECT, END_ARRAY -> {
                    depth--;
                    if (depth == 0) {
                        complete = true;
                    }
                    if (depth == 1) {
                        if (choices == OPEN_EMPTY) {
                            choicesEmpty = true;
                        }
                        choices = NONE;
                        inUsage = false;
                    }
                }
                case FIELD_NAME -> {
                    String name = parser.currentName();
                    if (depth == 1) {
                        pending = "usage".equals(name) ? PENDING_USAGE : "choices".equals(name) ? PENDING_CHOICES : NONE;
                    } else if (depth == 2 && inUsage) {
                        usageField = name;
                    }
                }
                case VALUE_NUMBER_INT -> {
                    if (depth == 2 && inUsage && usageField != null) {
                        if (usageField.equals("prompt_tokens")) {
                            promptTokens = parser.getLongValue();
                        } else if (usageField.equals("completion_tokens")) {
                            completionTokens = parser.getLongValue();
                        }
                    }
                    pending = NONE;
                }
                default -> pending = NONE;
            }
        }
    }

    /** Whether a {@code usage} object with a prompt token count was seen. */
    boolean hasUsage() {
        return whole() && promptTokens >= 0;
    }

    long promptTokens() {
        return whole() ? Math.max(promptTokens, 0) : 0;
    }

    long completionTokens() {
        return whole() ? Math.max(completionTokens, 0) : 0;
    }

    /** The top-level {@code choices} was present and an empty array. */
    boolean choicesEmpty() {
        return whole() && choicesEmpty;
    }

    /** A number cut short by the end of a truncated answer must not be taken for the count. */
    private boolean whole() {
        return complete && !broken;
    }
}
