package dev.bulwark.pipeline;

import java.util.List;

/**
 * The data plane's security stages, run in order. Each either passes the request on or answers
 * it; the first refusal ends the run. Assembled in one place, {@code server.DataPlanePipeline}.
 */
public final class Pipeline {
    private final Stage[] stages;

    public Pipeline(List<Stage> stages) {
        this.stages = stages.toArray(Stage[]::new);
    }

    /** Either a {@link StageResult.Next} with everything learned, or the first {@link StageResult.Reject}. */
    public StageResult run(RequestContext context) {
        RequestContext c = context;
        for (Stage stage : stages) {
            StageResult r = stage.apply(c);
            if (r == null) {
                throw new IllegalStateException("stage " + stage.name() + " returned no verdict");
            }
            if (r instanceof StageResult.Reject reject) {
                return new StageResult.Reject(reject.rejection(), reject.context(), stage.name());
            }
            c = ((StageResult.Next) r).context();
        }
        return StageResult.next(c);
    }

    public List<String> stageNames() {
        return java.util.Arrays.stream(stages).map(Stage::name).toList();
    }
}
