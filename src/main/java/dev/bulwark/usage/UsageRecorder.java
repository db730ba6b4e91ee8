package dev.bulwark.usage;

import dev.bulwark.metrics.PrometheusLabels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what model deployments are used for, in memory: requests, prompt tokens and completion
 * tokens per (account, deployment, key id, principal), and per (account, deployment) for Prometheus.
 * {@link UsageFlusher} moves the per-key counts into the database.
 *
 * <p>Hot path: the proxy calls {@link #record} on a Vert.x event loop after every completed call. It
 * does no I/O and takes no lock beyond ConcurrentHashMap's; for a key seen before it allocates
 * nothing (four map gets with Strings whose hashes are cached, then six LongAdder adds, which stay
 * uncontended-fast when several event loops count into the same cell). Only the first call for a new
 * key allocates its cell (and the maps above it).
 *
 * <p>Memory is bounded: at most {@code maxKeys} distinct keys get their own cell. Beyond that a new
 * principal is counted under the principal {@value #OTHER} of its (account, deployment, key id), and
 * the fold is counted ({@link #foldedCount()}, and {@code bulwark_usage_folded_total}). Those
 * "other" cells are allowed past the limit: there is one per (account, deployment, key id), and all
 * three come from Bulwark's own state (accounts, deployments and keys administrators created), never
 * from what a caller typed, so callers cannot grow them. The proxy must pass the configured names,
 * not the request's spelling. Cells live until restart (dropping an idle cell safely would need
 * every record() to check a flag; not worth it at this size).
 */
public final class UsageRecorder {
    public static final int DEFAULT_MAX_KEYS = 100_000;
    /** The principal that new keys are folded into once {@code maxKeys} is reached. */
    public static final String OTHER = "other";
    /** Stands for "no account key" (ConcurrentHashMap takes no null); key ids are never empty. */
    static final String NO_KEY = "";

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, DeploymentUsage>> accounts = new ConcurrentHashMap<>();
    private final int maxKeys;
    private final AtomicInteger keys = new AtomicInteger();
    private final LongAdder folded = new LongAdder();

    public UsageRecorder() {
        this(DEFAULT_MAX_KEYS);
    }

    public UsageRecorder(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be positive: " + maxKeys);
        }
        this.maxKeys = maxKeys;
    }

    /**
     * Counts one completed call. Safe on an event loop. A request counts 1 even with no tokens;
     * negative token counts (a confused upstream) count as 0, so totals only grow.
     *
     * @param keyId     the account key's id, or null when no account key was used
     * @param principal {@code Principal.describe()} of the caller
     */
    public void record(String account, String deployment, String keyId, String principal, long promptTokens,
                       long completionTokens) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(principal, "principal");
        long prompt = Math.max(0, promptTokens);
        long completion = Math.max(0, completionTokens);
        DeploymentUsage d = deployment(account, deployment);
        d.add(prompt, completion);
        cell(d, keyId == null ? NO_KEY : keyId, principal).add(prompt, completion);
    }

    private DeploymentUsage deployment(String account, String deployment) {
        ConcurrentHashMap<String, DeploymentUsage> byDeployment = accounts.get(account);
        if (byDeployment == null) {
            // Non-capturing lambdas are singletons: computeIfAbsent allocates only what it creates.
            byDeployment = accounts.computeIfAbsent(account, a -> new ConcurrentHashMap<>());
        }
        DeploymentUsage d = byDeployment.get(deployment);
        if (d == null) {
            DeploymentUsage fresh = new DeploymentUsage(account, deployment);
            DeploymentUsage raced = byDeployment.putIfAbsent(deployment, fresh);
            d = raced == null ? fresh : raced;
        }
        return d;
    }

    private UsageCell cell(DeploymentUsage d, String keyId, String principal) {
        ConcurrentHashMap<String, UsageCell> byPrincipal = d.cells.get(keyId);
        if (byPrincipal == null) {
            byPrincipal = d.cells.computeIfAbsent(keyId, k -> new ConcurrentHashMap<>());
        }
        UsageCell c = byPrincipal.get(principal);
        if (c != null) {
            return c;
        }
        if (keys.incrementAndGet() <= maxKeys) {
            UsageCell fresh = new UsageCell(d.account, d.deployment, keyId, principal);
            UsageCell raced = byPrincipal.putIfAbsent(principal, fresh);
            if (raced == null) {
                return fresh;
            }
            keys.decrementAndGet();
            return raced;
        }
        keys.decrementAndGet();
        folded.increment();
        UsageCell other = byPrincipal.get(OTHER);
        if (other == null) {
            UsageCell fresh = new UsageCell(d.account, d.deployment, keyId, OTHER);
            UsageCell raced = byPrincipal.putIfAbsent(OTHER, fresh);
            if (raced == null) {
                keys.incrementAndGet(); // counted, but past the limit on purpose (see the class comment)
                return fresh;
            }
            other = raced;
        }
        return other;
    }

    /** Distinct keys with a cell, "other" cells included. */
    public int keyCount() {
        return keys.get();
    }

    /** Calls counted under {@value #OTHER} because the key limit was reached, since start. */
    public long foldedCount() {
        return folded.sum();
    }

    /** Every cell, for the flusher; a weakly consistent walk (cells added meanwhile may be missed until next time). */
    void forEachCell(java.util.function.Consumer<UsageCell> action) {
        for (ConcurrentHashMap<String, DeploymentUsage> byDeployment : accounts.values()) {
            for (DeploymentUsage d : byDeployment.values()) {
                for (ConcurrentHashMap<String, UsageCell> byPrincipal : d.cells.values()) {
                    byPrincipal.values().forEach(action);
                }
            }
        }
    }

    /**
     * Totals since start per (account, deployment) in the Prometheus text format, to append to the
     * management plane's {@code /metrics}. Counters restart at zero with the process, as Prometheus
     * expects of a counter; the durable history is the usage table.
     */
    public String prometheusText() {
        List<DeploymentUsage> all = new ArrayList<>();
        accounts.values().forEach(m -> all.addAll(m.values()));
        all.sort(Comparator.comparing((DeploymentUsage d) -> d.account).thenComparing(d -> d.deployment));
        StringBuilder sb = new StringBuilder(256 + all.size() * 200);
        sb.append("# HELP bulwark_openai_requests_total Completed requests to model deployments, by account and deployment.\n");
        sb.append("# TYPE bulwark_openai_requests_total counter\n");
        for (DeploymentUsage d : all) {
            labels(sb.append("bulwark_openai_requests_total"), d).append("} ").append(d.requests.sum()).append('\n');
        }
        sb.append("# HELP bulwark_openai_tokens_total Tokens used by model deployments, by account, deployment and type.\n");
        sb.append("# TYPE bulwark_openai_tokens_total counter\n");
        for (DeploymentUsage d : all) {
            labels(sb.append("bulwark_openai_tokens_total"), d).append(",type=\"prompt\"} ").append(d.promptTokens.sum()).append('\n');
            labels(sb.append("bulwark_openai_tokens_total"), d).append(",type=\"completion\"} ").append(d.completionTokens.sum()).append('\n');
        }
        sb.append("# HELP bulwark_usage_folded_total Calls counted under principal \"other\" because the usage key limit was reached.\n");
        sb.append("# TYPE bulwark_usage_folded_total counter\n");
        sb.append("bulwark_usage_folded_total ").append(folded.sum()).append('\n');
        return sb.toString();
    }

    private static StringBuilder labels(StringBuilder sb, DeploymentUsage d) {
        sb.append("{account=\"");
        PrometheusLabels.appendEscaped(sb, d.account).append("\",deployment=\"");
        return PrometheusLabels.appendEscaped(sb, d.deployment).append('"');
    }
}
