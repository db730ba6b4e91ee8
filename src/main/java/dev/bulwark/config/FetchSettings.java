package dev.bulwark.config;

import dev.bulwark.fetch.Cidr;
import dev.bulwark.fetch.FetchPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How Bulwark fetches URLs its clients give it (today: chat images of deployments with
 * {@code inlineRemoteImages}). Safe by default: global addresses only, https only.
 *
 * @param policy              the fetcher's limits and the operator's allow-list of internal blocks
 * @param allowHttp           plain-http image URLs may be fetched (off: the bytes of an http fetch can
 *                            be swapped by anyone on the path, and the model would read them as the client's)
 * @param inlineMaxTotalBytes the most image bytes one request may have inlined, all images together
 */
public record FetchSettings(FetchPolicy policy, boolean allowHttp, long inlineMaxTotalBytes) {

    public static final long DEFAULT_INLINE_MAX_TOTAL_BYTES = 16L * 1024 * 1024;
    static final int MAX_TIMEOUT_SECONDS = 120;

    public FetchSettings {
        if (inlineMaxTotalBytes < 1 || inlineMaxTotalBytes > 256L * 1024 * 1024) {
            throw new ConfigException("inline-images.max-total-bytes must be between 1 and 268435456, got " + inlineMaxTotalBytes);
        }
    }

    /** Reads the {@code fetch.*} and {@code inline-images.*} settings through {@code get}; a bad value stops the boot. */
    static FetchSettings read(Function<String, Optional<String>> get) {
        FetchPolicy policy = FetchPolicy.defaults();
        try {
            policy = policy.withAllowed(get.apply("fetch.allowed-cidrs").map(FetchSettings::parseBlocks).orElse(List.of()));
            Optional<Long> maxBytes = get.apply("fetch.max-bytes").map(v -> parseLong(v, "fetch.max-bytes"));
            if (maxBytes.isPresent()) {
                policy = policy.withMaxBodyBytes(maxBytes.get());
            }
            Optional<Long> seconds = get.apply("fetch.timeout.seconds").map(v -> parseLong(v, "fetch.timeout.seconds"));
            if (seconds.isPresent()) {
                if (seconds.get() < 1 || seconds.get() > MAX_TIMEOUT_SECONDS) {
                    throw new ConfigException("fetch.timeout.seconds must be between 1 and " + MAX_TIMEOUT_SECONDS + ", got " + seconds.get());
                }
                Duration total = Duration.ofSeconds(seconds.get());
                // Connecting gets the default share, never more than the whole fetch.
                Duration connect = total.compareTo(FetchPolicy.DEFAULT_CONNECT_TIMEOUT) < 0 ? total : FetchPolicy.DEFAULT_CONNECT_TIMEOUT;
                policy = policy.withTimeouts(total, connect);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        boolean allowHttp = get.apply("fetch.allow-http").map(v -> switch (v.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException("fetch.allow-http must be true or false, got '" + v + "'");
        }).orElse(false);
        long total = get.apply("inline-images.max-total-bytes").map(v -> parseLong(v, "inline-images.max-total-bytes"))
                .orElse(DEFAULT_INLINE_MAX_TOTAL_BYTES);
        return new FetchSettings(policy, allowHttp, total);
    }

    /**
     * Comma-separated CIDR blocks ({@code 10.20.0.0/16}, {@code fd00:10::/64}); a bare address means its
     * single-address block. A bad entry stops the boot, naming it: each entry opens a hole, so a typo
     * must not open a different one.
     */
    static List<Cidr> parseBlocks(String value) {
        List<Cidr> out = new ArrayList<>();
        for (String entry : value.split(",", -1)) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            String block = e.contains("/") ? e : e + (e.contains(":") ? "/128" : "/32");
            try {
                out.add(Cidr.parse(block));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException("fetch.allowed-cidrs (BULWARK_FETCH_ALLOWED_CIDRS): entry '" + e + "' " + ex.getMessage());
            }
        }
        return out;
    }

    private static long parseLong(String v, String name) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + v + "'");
        }
    }
}
