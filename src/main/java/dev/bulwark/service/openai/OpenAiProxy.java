package dev.bulwark.service.openai;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;

/**
 * What every proxied call shares: pooled HTTP clients for the upstreams, the quota counters, the
 * usage sink and the image inliner. Each event loop has its own client and so its own connections: a connection shared
 * between event loops would hand every answer from one thread to another.
 */
public final class OpenAiProxy implements AutoCloseable {
    /** Error answers from an upstream are read up to this size to explain them; the rest is dropped. */
    static final int MAX_ERROR_BODY = 64 * 1024;

    private final Vertx vertx;
    private final HttpClientOptions options;
    private final PoolOptions pool;
    private final ThreadLocal<HttpClientAgent> clients;
    private final java.util.List<HttpClientAgent> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final QuotaLimiter quota;
    private final UsageSink usage;
    private final java.util.function.Consumer<dev.bulwark.audit.AuditRecord> audit;
    private final ImageInliner images;
    private final java.util.function.Consumer<String> refusals;

    /**
     * @param maxConnectionsPerUpstream the pool size per upstream host and port, per event loop
     * @param audit                     where refusals the proxy itself decides (outbound URL checks, images) are recorded
     * @param images                    inlines remote chat images for deployments with {@code inlineRemoteImages}
     * @param refusals                  counts those refusals by check ({@link ProxyRoute#DLP_CHECK}, {@link ProxyRoute#IMAGE_CHECK})
     */
    public OpenAiProxy(Vertx vertx, int maxConnectionsPerUpstream, QuotaLimiter quota, UsageSink usage,
                       java.util.function.Consumer<dev.bulwark.audit.AuditRecord> audit, ImageInliner images,
                       java.util.function.Consumer<String> refusals) {
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
        this.options = options;
        this.pool = new PoolOptions().setHttp1MaxSize(maxConnectionsPerUpstream);
        this.clients = ThreadLocal.withInitial(() -> {
            HttpClientAgent c = vertx.createHttpClient(this.options, this.pool);
            all.add(c);
            return c;
        });
        this.quota = quota;
        this.usage = usage;
        this.audit = java.util.Objects.requireNonNull(audit, "audit");
        this.images = java.util.Objects.requireNonNull(images, "images");
        this.refusals = java.util.Objects.requireNonNull(refusals, "refusals");
    }

    java.util.function.Consumer<String> refusals() {
        return refusals;
    }

    ImageInliner images() {
        return images;
    }

    java.util.function.Consumer<dev.bulwark.audit.AuditRecord> audit() {
        return audit;
    }

    Vertx vertx() {
        return vertx;
    }

    /** The calling event loop's client. */
    HttpClientAgent client() {
        return clients.get();
    }

    QuotaLimiter quota() {
        return quota;
    }

    UsageSink usage() {
        return usage;
    }

    @Override
    public void close() {
        all.forEach(HttpClientAgent::close);
    }
}
