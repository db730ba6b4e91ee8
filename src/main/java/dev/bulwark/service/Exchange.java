package dev.bulwark.service;

import dev.bulwark.pipeline.RequestContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.util.function.IntConsumer;

/**
 * One request handed to an {@link EventLoopRoute}: the request (its response already carries the
 * security headers and request id), what the pipeline learned, and the body.
 *
 * @param finished to be called exactly once, with the status sent, when the answer is complete or
 *                 abandoned (for metrics)
 */
public record Exchange(HttpServerRequest request, RequestContext context, Buffer body, IntConsumer finished) {
}
