package dev.bulwark.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counters in the Prometheus text format. Counting allocates nothing: a plane's counters
 * are an array indexed by HTTP status, and rejection counters are keyed by the refusing stage's
 * (constant) name, so the label set stays bounded whatever callers send.
 */
public final class Metrics {
    private static final int STATUSES = 600;

    private final Map<String, LongAdder[]> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();
    private final LongAdder latencyMicros = new LongAdder();
    private final LongAdder latencyCount = new LongAdder();

    /** @param plane a constant such as "data" or "management" */
    public void request(String plane, int status, long nanos) {
        LongAdder[] byStatus = requests.computeIfAbsent(plane, Metrics::counters);
        byStatus[status >= 0 && status < STATUSES ? status : 0].increment();
        latencyMicros.add(nanos / 1000);
        latencyCount.increment();
    }

    /** @param stage the refusing stage's constant name */
    public void rejection(String stage) {
        rejections.computeIfAbsent(stage, k -> new LongAdder()).increment();
    }

    private static LongAdder[] counters(String plane) {
        LongAdder[] a = new LongAdder[STATUSES];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    public String prometheusText() {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP bulwark_requests_total Requests answered, by plane and HTTP status.\n");
        sb.append("# TYPE bulwark_requests_total counter\n");
        requests.forEach((plane, byStatus) -> {
            for (int status = 0; status < STATUSES; status++) {
                long n = byStatus[status].sum();
                if (n > 0) {
                    sb.append("bulwark_requests_total{plane=\"").append(plane).append("\",status=\"").append(status).append("\"} ")
                            .append(n).append('\n');
                }
            }
        });
        sb.append("# HELP bulwark_pipeline_rejections_total Data-plane requests refused, by the stage that refused them.\n");
        sb.append("# TYPE bulwark_pipeline_rejections_total counter\n");
        rejections.forEach((stage, n) -> sb.append("bulwark_pipeline_rejections_total{stage=\"").append(stage).append("\"} ")
                .append(n.sum()).append('\n'));
        sb.append("# HELP bulwark_request_duration_microseconds_sum Total time spent answering requests.\n");
        sb.append("# TYPE bulwark_request_duration_microseconds_sum counter\n");
        sb.append("bulwark_request_duration_microseconds_sum ").append(latencyMicros.sum()).append('\n');
        sb.append("bulwark_request_duration_microseconds_count ").append(latencyCount.sum()).append('\n');
        return sb.toString();
    }
}
