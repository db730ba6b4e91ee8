package dev.bulwark.pipeline;

/** A stage's verdict: go on with a (possibly enriched) context, or answer with an error. */
public sealed interface StageResult {

    record Next(RequestContext context) implements StageResult {
    }

    /** @param stage the name of the stage that refused (filled in by the pipeline) */
    record Reject(Rejection rejection, RequestContext context, String stage) implements StageResult {
    }

    static StageResult next(RequestContext c) {
        return new Next(c);
    }

    static StageResult reject(Rejection r, RequestContext c) {
        return new Reject(r, c, null);
    }
}
