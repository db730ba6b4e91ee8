package dev.bulwark.service;

/**
 * A route that computes its whole answer at once. {@link #handle} runs on a worker thread (it may
 * use CPU; it must still avoid the database).
 */
public non-sealed interface WorkerRoute extends DataPlaneRoute {

    ServiceResponse handle(ServiceRequest request);
}
