package dev.bulwark.service.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test double for an OpenAI-compatible model server (vLLM, Ollama…) on a loopback port. It
 * answers chat completions, completions and embeddings with fixed text and real-looking usage,
 * streams with a pause between chunks, and can be told to be slow, to fail, or to hang mid-stream.
 * It records what it received, so tests can check what Bulwark forwards.
 */
public final class FakeModelServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    public static final String[] WORDS = {"Hello", " from", " the", " fake", " model", "."};

    public record Received(String method, String path, MultiMap headers, JsonNode body) {
    }

    /** How the server misbehaves for the next requests. */
    public enum Mode { NORMAL, SLOW_HEADERS, ERROR_500, ERROR_400, ERROR_401, ERROR_429, HANG_MID_STREAM }

    private final Vertx vertx;
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.NORMAL);
    private volatile long chunkPauseMs = 0;
    private volatile long slowMs = 5_000;
    /** Streams whose client (Bulwark) closed the connection before the stream ended. */
    private final AtomicInteger abandonedStreams = new AtomicInteger();
    private volatile CountDownLatch abandoned = new CountDownLatch(1);
    /** Counts chunks written, so a test can see the upstream had not finished when the client got a chunk. */
    private final AtomicInteger chunksWritten = new AtomicInteger();
    private final AtomicInteger streamsFinished = new AtomicInteger();

    private FakeModelServer(Vertx vertx) {
        this.vertx = vertx;
        this.server = vertx.createHttpServer().requestHandler(this::handle);
        server.listen(0, "127.0.0.1").await();
    }

    public static FakeModelServer start() {
        return new FakeModelServer(Vertx.vertx());
    }

    public int port() {
        return server.actualPort();
    }

    /** The OpenAI-compatible base URL, as a deployment names it. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public List<Received> received() {
        return received;
    }

    public Received last() {
        return received.get(received.size() - 1);
    }

    public void mode(Mode m) {
        mode.set(m);
    }

    public void chunkPauseMs(long ms) {
        chunkPauseMs = ms;
    }

    public void slowMs(long ms) {
        slowMs = ms;
    }

    public int chunksWritten() {
        return chunksWritten.get();
    }

    public int streamsFinished() {
        return streamsFinished.get();
    }

    public int abandonedStreams() {
        return abandonedStreams.get();
    }

    public CountDownLatch resetAbandoned() {
        abandoned = new CountDownLatch(1);
        return abandoned;
    }

    public CountDownLatch abandonedLatch() {
        return abandoned;
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(buf -> {
            JsonNode body;
            try {
                body = buf.length() == 0 ? null : JSON.readTree(buf.getBytes());
            } catch (Exception e) {
                body = null;
            }
            received.add(new Received(req.method().name(), req.path(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body));
            answer(req, body);
        });
    }

    private void answer(HttpServerRequest req, JsonNode body) {
        HttpServerResponse res = req.response();
        switch (mode.get()) {
            case SLOW_HEADERS -> {
                vertx.setTimer(slowMs, t -> {
                    if (!res.closed()) {
                        normal(req, body);
                    }
                });
                return;
            }
            case ERROR_500 -> {
                res.setStatusCode(500).putHeader("Content-Type", "application/json")
                        .end("{\"error\":{\"message\":\"CUDA out of memory at /opt/models/llama/weights.bin on 10.1.2.3\",\"type\":\"internal\"}}");
                return;
            }
            case ERROR_400 -> {
                res.setStatusCode(400).putHeader("Content-Type", "application/json")
                        .end("{\"error\":{\"message\":\"This model's maximum context length is 4096 tokens.\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}");
                return;
            }
            case ERROR_401 -> {
                res.setStatusCode(401).putHeader("Content-Type", "application/json").end("{\"error\":{\"message\":\"bad key sk-upstream-xyz\"}}");
                return;
            }
            case ERROR_429 -> {
                res.setStatusCode(429).putHeader("Retry-After", "7").putHeader("Content-Type", "application/json")
                        .end("{\"error\":{\"message\":\"busy\"}}");
                return;
            }
            default -> normal(req, body);
        }
    }

    private void normal(HttpServerRequest req, JsonNode body) {
        HttpServerResponse res = req.response();
        String model = body != null && body.path("model").isTextual() ? body.path("model").textValue() : "unknown";
        switch (req.path()) {
            case "/v1/chat/completions", "/v1/completions" -> {
                boolean chat = req.path().endsWith("chat/completions");
                if (body != null && body.path("stream").asBoolean(false)) {
                    stream(req, model, chat, body.path("stream_options").path("include_usage").asBoolean(false));
                } else {
                    String choice = chat
                            ? "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + String.join("", WORDS) + "\"},\"finish_reason\":\"stop\"}"
                            : "{\"index\":0,\"text\":\"" + String.join("", WORDS) + "\",\"finish_reason\":\"stop\"}";
                    res.putHeader("Content-Type", "application/json").end("{\"id\":\"cmpl-1\",\"object\":\""
                            + (chat ? "chat.completion" : "text_completion") + "\",\"created\":1700000000,\"model\":\"" + model
                            + "\",\"choices\":[" + choice + "],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":6,\"total_tokens\":17}}");
                }
            }
            case "/v1/embeddings" -> res.putHeader("Content-Type", "application/json").end("{\"object\":\"list\",\"data\":["
                    + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.25,-0.5,0.125]}],\"model\":\"" + model
                    + "\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}");
            default -> res.setStatusCode(404).end("{\"detail\":\"Not Found\"}");
        }
    }

    private void stream(HttpServerRequest req, String model, boolean chat, boolean includeUsage) {
        HttpServerResponse res = req.response();
        res.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8");
        boolean hang = mode.get() == Mode.HANG_MID_STREAM;
        res.closeHandler(v -> {
            abandonedStreams.incrementAndGet();
            abandoned.countDown();
        });
        sendNext(res, model, chat, includeUsage, hang, 0);
    }

    private void sendNext(HttpServerResponse res, String model, boolean chat, boolean includeUsage, boolean hang, int i) {
        if (res.closed()) {
            return;
        }
        if (i < WORDS.length) {
            String delta = chat ? "{\"index\":0,\"delta\":{\"content\":\"" + WORDS[i] + "\"},\"finish_reason\":null}"
                    : "{\"index\":0,\"text\":\"" + WORDS[i] + "\",\"finish_reason\":null}";
            res.write("data: {\"id\":\"cmpl-1\",\"object\":\"" + (chat ? "chat.completion.chunk" : "text_completion")
                    + "\",\"created\":1700000000,\"model\":\"" + model + "\",\"choices\":[" + delta + "]"
                    + (includeUsage ? ",\"usage\":null" : "") + "}\n\n");
            chunksWritten.incrementAndGet();
            if (hang && i == 1) {
                return; // never another byte
            }
            if (chunkPauseMs > 0) {
                vertx.setTimer(chunkPauseMs, t -> sendNext(res, model, chat, includeUsage, hang, i + 1));
            } else {
                sendNext(res, model, chat, includeUsage, hang, i + 1);
            }
            return;
        }
        if (includeUsage) {
            res.write("data: {\"id\":\"cmpl-1\",\"object\":\"" + (chat ? "chat.completion.chunk" : "text_completion")
                    + "\",\"created\":1700000000,\"model\":\"" + model + "\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":6,\"total_tokens\":17}}\n\n");
        }
        // Counted before the last bytes go out: the client may act on [DONE] before this thread runs on.
        streamsFinished.incrementAndGet();
        res.closeHandler(null);
        res.end("data: [DONE]\n\n");
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
