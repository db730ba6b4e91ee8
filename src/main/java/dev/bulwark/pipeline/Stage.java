package dev.bulwark.pipeline;

/**
 * One step of the data-plane pipeline. Runs on the event loop: it must not block, do I/O or call
 * the database; everything it needs is in the context's snapshot.
 */
public interface Stage {

    /** The stage's name, shown in audit records of the requests it refuses. */
    String name();

    /** Passes the request on with what it learned, or refuses it. */
    StageResult apply(RequestContext context);
}
