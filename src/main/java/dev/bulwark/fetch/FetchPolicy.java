package dev.bulwark.fetch;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The operator's limits for fetching user-supplied URLs, validated once and then frozen.
 *
 * @param allowed        blocks exempted from the global-address rule (an on-premises image store,
 *                       tests); empty by default, and each entry is an explicit operator decision
 * @param maxBodyBytes   the largest body accepted; reading stops as soon as it is exceeded
 * @param totalTimeout   the whole fetch, every hop included
 * @param connectTimeout each TCP (and TLS) connection
 * @param maxRedirects   redirects followed; one more is refused
 */
public record FetchPolicy(List<Cidr> allowed, long maxBodyBytes, Duration totalTimeout, Duration connectTimeout,
                          int maxRedirects) {

    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final int DEFAULT_MAX_REDIRECTS = 3;

    public FetchPolicy {
        allowed = List.copyOf(allowed);
        // Bad limits stop the boot; they are never quietly corrected.
        if (maxBodyBytes <= 0 || maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("fetch maxBodyBytes must be between 1 and 2 GiB: " + maxBodyBytes);
        }
        if (totalTimeout.isNegative() || totalTimeout.isZero()) {
            throw new IllegalArgumentException("fetch totalTimeout must be positive");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.compareTo(totalTimeout) > 0) {
            throw new IllegalArgumentException("fetch connectTimeout must be positive and within totalTimeout");
        }
        if (maxRedirects < 0 || maxRedirects > 10) {
            throw new IllegalArgumentException("fetch maxRedirects must be between 0 and 10: " + maxRedirects);
        }
    }

    /** Global addresses only, 4 MiB, 10 s, 3 s to connect, 3 redirects. */
    public static FetchPolicy defaults() {
        return new FetchPolicy(List.of(), DEFAULT_MAX_BODY_BYTES, DEFAULT_TOTAL_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_MAX_REDIRECTS);
    }

    /** The defaults, with {@code cidrs} (e.g. {@code "10.20.0.0/16"}) exempted. */
    public static FetchPolicy allowing(String... cidrs) {
        return defaults().withAllowed(List.of(cidrs).stream().map(Cidr::parse).toList());
    }

    public FetchPolicy withAllowed(List<Cidr> blocks) {
        return new FetchPolicy(blocks, maxBodyBytes, totalTimeout, connectTimeout, maxRedirects);
    }

    public FetchPolicy withMaxBodyBytes(long bytes) {
        return new FetchPolicy(allowed, bytes, totalTimeout, connectTimeout, maxRedirects);
    }

    public FetchPolicy withTimeouts(Duration total, Duration connect) {
        return new FetchPolicy(allowed, maxBodyBytes, total, connect, maxRedirects);
    }

    /** Whether Bulwark may connect to {@code address}: it is global, or the operator allowed its block. */
    public boolean permits(InetAddress address) {
        byte[] bytes = address.getAddress();
        return GlobalAddresses.isGlobal(bytes) || allowed.stream().anyMatch(b -> b.contains(bytes));
    }
}
