package dev.bulwark.dlp;

import java.util.Objects;

/**
 * An account's outbound-access settings, frozen: whether outbound URLs are restricted at all, the
 * hosts they may name, and whether plain {@code http} is accepted besides {@code https} (off unless
 * configured: an http fetch can be redirected or read on the way).
 *
 * @param restrictOutboundNetworkAccess the account property of that name; false means no check
 * @param allowed                       the validated {@code allowedFqdnList}
 * @param allowHttp                     accept {@code http://} URLs (still host-checked)
 */
public record DlpPolicy(boolean restrictOutboundNetworkAccess, AllowedFqdns allowed, boolean allowHttp) {

    public DlpPolicy {
        Objects.requireNonNull(allowed, "allowed");
    }

    /** Outbound access not restricted: URLs are not checked. */
    public static DlpPolicy unrestricted() {
        return new DlpPolicy(false, AllowedFqdns.none(), false);
    }

    /** Restricted to {@code allowed}, https only. */
    public static DlpPolicy restrictedTo(AllowedFqdns allowed) {
        return new DlpPolicy(true, allowed, false);
    }
}
