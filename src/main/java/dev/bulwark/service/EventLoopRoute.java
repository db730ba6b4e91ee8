package dev.bulwark.service;

/**
 * A route that answers on the event loop, asynchronously: it may write its answer in pieces as
 * they arrive (a model's stream), and must never block. The body has been read (size-limited).
 */
public non-sealed interface EventLoopRoute extends DataPlaneRoute {

    void serve(Exchange exchange);
}
