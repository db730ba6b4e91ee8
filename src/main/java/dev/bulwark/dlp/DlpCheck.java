package dev.bulwark.dlp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.service.UrlField;

import java.util.List;
import java.util.Optional;

/**
 * Checks every URL a route declares against the account's outbound policy and names the first one
 * refused. Each value is parsed exactly once by {@link OutboundUrl}; {@code data:} URLs pass (nothing
 * is fetched); anything that does not parse is refused like a host off the list (deny by default).
 */
public final class DlpCheck {
    private DlpCheck() {
    }

    public static Optional<DlpViolation> check(List<UrlField> fields, JsonNode body, DlpPolicy policy) {
        if (!policy.restrictOutboundNetworkAccess() || body == null) {
            return Optional.empty();
        }
        DlpViolation[] first = new DlpViolation[1];
        for (UrlField field : fields) {
            field.forEachValue(body, (parameter, value) -> {
                if (first[0] == null) {
                    first[0] = refusal(parameter, value, policy);
                }
            });
            if (first[0] != null) {
                return Optional.of(first[0]);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether one URL may be fetched under {@code policy}: the same parse and list as the body
     * check. Bulwark's own fetches ask this of every redirect hop, so an open redirect on an allowed
     * host cannot lead them elsewhere.
     */
    public static boolean allows(String url, DlpPolicy policy) {
        return !policy.restrictOutboundNetworkAccess() || refusal("redirect", url, policy) == null;
    }

    /** The violation for one value, or null when it may be fetched. */
    private static DlpViolation refusal(String parameter, String value, DlpPolicy policy) {
        return switch (OutboundUrl.parse(value, policy.allowHttp())) {
            case ParseResult.Data d -> null;
            case ParseResult.Valid v -> policy.allowed().allows(v) ? null : new DlpViolation(v.host(), parameter);
            case ParseResult.Invalid i -> new DlpViolation(DlpViolation.shown(value), parameter);
        };
    }
}
