package dev.bulwark.server;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a limit. A declared Content-Length over the limit is refused before
 * a byte is read; a chunked body is refused the moment it crosses the limit. Either way the body is
 * never buffered whole.
 */
public final class BodyReader {

    /** The body was larger than allowed. */
    public static final class TooLarge extends RuntimeException {
        TooLarge(int limit) {
            super("request body is larger than " + limit + " bytes", null, false, false);
        }
    }

    private BodyReader() {
    }

    public static Future<Buffer> read(HttpServerRequest request, int limit) {
        String declared = request.getHeader("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                length = Long.MAX_VALUE;
            }
            if (length > limit) {
                return Future.failedFuture(new TooLarge(limit));
            }
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                promise.tryFail(new TooLarge(limit));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> promise.tryComplete(body));
        request.exceptionHandler(promise::tryFail);
        return promise.future();
    }
}
