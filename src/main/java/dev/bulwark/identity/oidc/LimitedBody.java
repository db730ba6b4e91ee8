package dev.bulwark.identity.oidc;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body collected into memory up to a limit: a declared {@code Content-Length} over the
 * limit fails before any byte is read, a streamed body fails the moment it crosses it. Either way the
 * connection is cancelled, so an issuer (or whoever answers in its place) cannot make Bulwark buffer
 * an unbounded document.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final long declaredLength;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    private LimitedBody(int limit, long declaredLength) {
        this.limit = limit;
        this.declaredLength = declaredLength;
    }

    /** A handler whose bodies are at most {@code limit} bytes. */
    static HttpResponse.BodyHandler<byte[]> handler(int limit) {
        return info -> new LimitedBody(limit, info.headers().firstValueAsLong("content-length").orElse(-1));
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        if (declaredLength > limit) {
            s.cancel();
            result.completeExceptionally(tooLarge());
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            if (buffer.size() + (long) b.remaining() > limit) {
                subscription.cancel();
                result.completeExceptionally(tooLarge());
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            buffer.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(buffer.toByteArray());
    }

    private OidcFetchException tooLarge() {
        return new OidcFetchException("response larger than " + limit + " bytes");
    }
}
