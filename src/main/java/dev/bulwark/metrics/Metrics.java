package dev.bulwark.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counters in the Prometheus text format. Counters are LongAdders keyed by a label string
 * that is built from a fixed vocabulary (plane, route, status, stage), never from request input, so
 * the label set stays bounded whatever callers send.
 */
public final class Metrics {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();
    private final LongAdder latencyMicros = new LongAdder();
    private final LongAdder latencyCount = new LongAdder();

    public void request(String plane, int status, long nanos) {
        requests.computeIfAbsent("plane=\"" + plane + "\",status=\"" + status + "\"", k -> new LongAdder()).increment();
        latencyMicros.add(nanos / 1000);
        latencyCount.increment();
    }

    public void rejection(String stage) {
        rejections.computeIfAbsent("stage=\"" + stage + "\"", k -> new LongAdder()).increment();
    }

    public String prometheusText() {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP bulwark_requests_total Requests answered, by plane and HTTP status.\n");
        sb.append("# TYPE bulwark_requests_total counter\n");
        requests.forEach((labels, n) -> sb.append("bulwark_requests_total{").append(labels).append("} ").append(n.sum()).append('\n'));
        sb.append("# HELP bulwark_pipeline_rejections_total Data-plane requests refused, by the stage that refused them.\n");
        sb.append("# TYPE bulwark_pipeline_rejections_total counter\n");
        rejections.forEach((labels, n) -> sb.append("bulwark_pipeline_rejections_total{").append(labels).append("} ").append(n.sum()).append('\n'));
        sb.append("# HELP bulwark_request_duration_microseconds_sum Total time spent answering requests.\n");
        sb.append("# TYPE bulwark_request_duration_microseconds_sum counter\n");
        sb.append("bulwark_request_duration_microseconds_sum ").append(latencyMicros.sum()).append('\n');
        sb.append("bulwark_request_duration_microseconds_count ").append(latencyCount.sum()).append('\n');
        return sb.toString();
    }
}
