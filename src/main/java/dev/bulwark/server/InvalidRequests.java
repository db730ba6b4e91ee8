package dev.bulwark.server;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;


/**
 * Answers requests the HTTP decoder could not parse (over-long request line or headers, bad
 * Content-Length, control characters, Content-Length with Transfer-Encoding) in the same shape as
 * every other refusal: JSON error body, request id, HSTS, connection closed. They never reach the
 * pipeline.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {

    @Override
    public void handle(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        int status;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            message = "The request line is too long.";
        } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            status = 431;
            message = "The request headers are too large.";
        } else {
            status = 400;
            message = "The request is not valid HTTP.";
        }
        var response = request.response();
        SecurityHeaders.apply(response.headers());
        response.headers()
                .set("apim-request-id", RequestIds.next())
                .set("Content-Type", "application/json; charset=utf-8")
                .set("Connection", "close");
        response.setStatusCode(status).end("{\"error\":{\"code\":\"" + status + "\",\"message\":\"" + message + "\"}}")
                .onComplete(ar -> request.connection().close());
    }
}
