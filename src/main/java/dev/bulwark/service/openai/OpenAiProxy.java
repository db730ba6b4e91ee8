package dev.bulwark.service.openai;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;

/**
 * What every proxied call shares: one pooled HTTP client for all upstreams (connections are kept
 * per upstream host and port, on the event loop that asked for them), the quota counters and the
 * usage sink.
 */
public final class OpenAiProxy implements AutoCloseable {
    /** Error answers from an upstream are read up to this size to explain them; the rest is dropped. */
    static final int MAX_ERROR_BODY = 64 * 1024;

    private final Vertx vertx;
    private final HttpClientAgent client;
    private final QuotaLimiter quota;
    private final UsageSink usage;

    /** @param maxConnectionsPerUpstream the pool size per upstream host and port */
    public OpenAiProxy(Vertx vertx, int maxConnectionsPerUpstream, QuotaLimiter quota, UsageSink usage) {
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setTcpNoDelay(true)
                // Answers are passed on as they come, and their usage read: no decompression, and ask for none.
                .setDecompressionSupported(false)
                .setVerifyHost(true)
                .setMaxHeaderSize(16 * 1024);
        this.vertx = vertx;
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(maxConnectionsPerUpstream));
        this.quota = quota;
        this.usage = usage;
    }

    Vertx vertx() {
        return vertx;
    }

    HttpClientAgent client() {
        return client;
    }

    QuotaLimiter quota() {
        return quota;
    }

    UsageSink usage() {
        return usage;
    }

    @Override
    public void close() {
        client.close();
    }
}
