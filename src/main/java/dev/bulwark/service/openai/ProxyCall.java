package dev.bulwark.service.openai;

import dev.bulwark.identity.Principal;
import dev.bulwark.pipeline.RequestContext;
import dev.bulwark.service.Exchange;
import dev.bulwark.snapshot.DeploymentView;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One proxied call, on the event loop from start to end: send the prepared body upstream with the
 * deployment's credential (never the client's), then pass the answer on as it arrives, reading its
 * token usage on the way. A client that goes away cancels the upstream request; an upstream that
 * fails or times out becomes a 502 or 504 (or, once the answer has begun, a cut stream).
 */
final class ProxyCall {
    private static final Logger LOG = Logger.getLogger(ProxyCall.class.getName());

    private final OpenAiProxy proxy;
    private final Exchange exchange;
    private final DeploymentView deployment;
    private final OpenAiOperation operation;
    private final PreparedRequest prepared;
    private final QuotaDecision quota;
    private final HttpServerResponse out;

    private HttpClientRequest upstreamRequest;
    /** When the upstream last sent a piece of its answer (System.nanoTime). */
    private long lastChunkNanos;
    /** The silence watchdog's timer, cancelled when the call ends so nothing outlives it. */
    private long silenceTimer = -1;
    private boolean cancelled;
    private boolean finished;
    private int status;

    ProxyCall(OpenAiProxy proxy, Exchange exchange, DeploymentView deployment, OpenAiOperation operation,
              PreparedRequest prepared, QuotaDecision quota) {
        this.proxy = proxy;
        this.exchange = exchange;
        this.deployment = deployment;
        this.operation = operation;
        this.prepared = prepared;
        this.quota = quota;
        this.out = exchange.request().response();
    }

    void start() {
        out.closeHandler(v -> clientGone());
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                // Host, port and scheme from the URI parsed when the snapshot was built: no URL parsing per request.
                .setHost(deployment.upstream().getHost())
                .setPort(port(deployment))
                .setSsl("https".equalsIgnoreCase(deployment.upstream().getScheme()))
                .setURI(deployment.upstream().getRawPath() + "/" + operation.upstreamPath())
                .setConnectTimeout(deployment.connectTimeoutMs())
                .setIdleTimeout(deployment.timeoutMs())
                .setFollowRedirects(false)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", prepared.stream() ? "text/event-stream" : "application/json")
                .putHeader("X-Request-ID", exchange.context().requestId());
        if (deployment.credential() != null) {
            options.putHeader("Authorization", "Bearer " + deployment.credential().reveal());
        }
        proxy.client().request(options).onComplete(ar -> {
            if (ar.failed()) {
                upstreamFailed(ar.cause());
                return;
            }
            HttpClientRequest request = ar.result();
            if (cancelled) {
                request.reset();
                return;
            }
            upstreamRequest = request;
            request.send(Buffer.buffer(prepared.body())).onComplete(r -> {
                if (r.failed()) {
                    upstreamFailed(r.cause());
                } else if (!cancelled) {
                    answer(r.result());
                }
            });
        });
    }

    private static int port(DeploymentView d) {
        int port = d.upstream().getPort();
        return port > 0 ? port : "https".equalsIgnoreCase(d.upstream().getScheme()) ? 443 : 80;
    }

    private void answer(HttpClientResponse in) {
        int upstreamStatus = in.statusCode();
        if (upstreamStatus < 200 || upstreamStatus > 299) {
            relayError(in);
            return;
        }
        status = upstreamStatus;
        String contentType = in.getHeader("Content-Type");
        boolean events = contentType != null && contentType.regionMatches(true, 0, "text/event-stream", 0, 17);
        out.setStatusCode(upstreamStatus);
        out.putHeader("Content-Type", events ? "text/event-stream; charset=utf-8" : contentType != null ? contentType : "application/json");
        QuotaHeaders.put(out, quota);
        watchSilence(in);
        if (events) {
            out.putHeader("Cache-Control", "no-cache");
            streamEvents(in);
        } else {
            passBody(in);
        }
    }

    /** A stream: each event goes out as soon as it is complete. */
    private void streamEvents(HttpClientResponse in) {
        chunked();
        SseRelay relay = new SseRelay(prepared.stripUsage());
        in.handler(chunk -> {
            lastChunkNanos = System.nanoTime();
            write(in, relay.accept(chunk.getBytes()));
        });
        in.exceptionHandler(e -> cut(e, relay.promptTokens(), relay.completionTokens()));
        in.endHandler(v -> {
            write(in, relay.finish());
            // Count first: ending an HTTP/2 stream may run the close handler at once.
            finish(relay.promptTokens(), relay.completionTokens());
            if (!out.closed()) {
                out.end();
            }
        });
    }

    /** A whole answer: passed on as it arrives, with the upstream's length when it gave one. */
    private void passBody(HttpClientResponse in) {
        String length = in.getHeader("Content-Length");
        if (length != null) {
            out.putHeader("Content-Length", length);
        } else {
            chunked();
        }
        UsageScanner usage = new UsageScanner();
        in.handler(chunk -> {
            lastChunkNanos = System.nanoTime();
            usage.feed(chunk.getBytes(), 0, chunk.length());
            write(in, chunk);
        });
        in.exceptionHandler(e -> cut(e, 0, 0));
        in.endHandler(v -> {
            usage.end();
            finish(usage.promptTokens(), usage.completionTokens());
            if (!out.closed()) {
                out.end();
            }
        });
    }

    /**
     * The client's idle timeout covers the wait for the upstream's headers; once the answer flows,
     * this watches the silences between its pieces. One timer per timeout period, not per piece.
     */
    private void watchSilence(HttpClientResponse in) {
        lastChunkNanos = System.nanoTime();
        armSilenceTimer(in, deployment.timeoutMs());
    }

    private void armSilenceTimer(HttpClientResponse in, long delayMs) {
        silenceTimer = proxy.vertx().setTimer(Math.max(1, delayMs), id -> {
            if (finished) {
                return;
            }
            long silentMs = (System.nanoTime() - lastChunkNanos) / 1_000_000;
            if (silentMs >= deployment.timeoutMs()) {
                cut(new java.util.concurrent.TimeoutException("upstream silent for " + silentMs + " ms"), 0, 0);
                upstreamRequest.reset();
            } else {
                armSilenceTimer(in, deployment.timeoutMs() - silentMs);
            }
        });
    }

    private void relayError(HttpClientResponse in) {
        Buffer body = Buffer.buffer();
        in.handler(chunk -> {
            if (body.length() < OpenAiProxy.MAX_ERROR_BODY) {
                body.appendBuffer(chunk, 0, Math.min(chunk.length(), OpenAiProxy.MAX_ERROR_BODY - body.length()));
            }
        });
        in.exceptionHandler(e -> upstreamFailed(e));
        in.endHandler(v -> {
            UpstreamAnswer a = UpstreamErrors.fromStatus(in.statusCode(), body.getBytes(), in.getHeader("Retry-After"),
                    exchange.context().requestId());
            if (a.status() >= 500) {
                LOG.warning(() -> "deployment " + deployment.key() + ": upstream answered " + in.statusCode()
                        + " (request " + exchange.context().requestId() + ")");
            }
            sendError(a);
        });
    }

    private void upstreamFailed(Throwable cause) {
        if (cancelled || finished) {
            return;
        }
        if (status != 0) {
            cut(cause, 0, 0);
            return;
        }
        UpstreamAnswer a = UpstreamErrors.fromFailure(cause, deployment.timeoutMs(), exchange.context().requestId());
        LOG.log(Level.WARNING, "deployment " + deployment.key() + ": upstream call failed with " + cause.getClass().getSimpleName()
                + " (request " + exchange.context().requestId() + ")");
        sendError(a);
    }

    private void sendError(UpstreamAnswer a) {
        if (out.closed() || out.headWritten()) {
            finish(0, 0);
            return;
        }
        status = a.status();
        out.setStatusCode(a.status()).putHeader("Content-Type", "application/json; charset=utf-8");
        if (a.status() == 429) {
            out.putHeader("Retry-After", Long.toString(a.retryAfterSeconds()));
        }
        finish(0, 0);
        out.end(Buffer.buffer(a.body()));
    }

    private void write(HttpClientResponse in, byte[] bytes) {
        if (bytes.length > 0) {
            write(in, Buffer.buffer(bytes));
        }
    }

    private void write(HttpClientResponse in, Buffer chunk) {
        if (out.closed() || chunk.length() == 0) {
            return;
        }
        out.write(chunk);
        if (out.writeQueueFull()) {
            // A slow client slows the upstream instead of filling memory.
            in.pause();
            out.drainHandler(v -> in.resume());
        }
    }

    /** The answer had begun and cannot become an error status: break it off so the client sees a failure. */
    private void cut(Throwable cause, long promptTokens, long completionTokens) {
        if (finished) {
            return;
        }
        LOG.warning(() -> "deployment " + deployment.key() + ": upstream answer broke off with " + cause.getClass().getSimpleName()
                + " (request " + exchange.context().requestId() + ")");
        if (!out.closed()) {
            out.reset();
        }
        finish(promptTokens, completionTokens);
    }

    private void clientGone() {
        if (finished) {
            return;
        }
        cancelled = true;
        if (upstreamRequest != null) {
            upstreamRequest.reset();
        }
        if (status == 0) {
            status = 499;
        }
        finish(0, 0);
    }

    private void chunked() {
        if (exchange.request().version() != HttpVersion.HTTP_2) {
            out.setChunked(true);
        }
    }

    private void finish(long promptTokens, long completionTokens) {
        if (finished) {
            return;
        }
        finished = true;
        if (silenceTimer >= 0) {
            proxy.vertx().cancelTimer(silenceTimer);
        }
        proxy.quota().charge(deployment, promptTokens + completionTokens);
        RequestContext c = exchange.context();
        Principal p = c.principal();
        String keyId = p instanceof Principal.AccountKey k ? c.account().keyId(k.keyName()) : null;
        proxy.usage().record(c.account().name(), deployment.name(), keyId, p.describe(), promptTokens, completionTokens);
        exchange.finished().accept(status == 0 ? 502 : status);
    }
}
