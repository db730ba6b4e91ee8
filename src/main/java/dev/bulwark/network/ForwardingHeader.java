package dev.bulwark.network;

import java.util.Locale;

/**
 * The one forwarding header the trusted proxies write ({@code trusted.proxies.header},
 * {@code BULWARK_TRUSTED_PROXY_HEADER}). Only that header is read; the other is ignored even when
 * the configured one is absent, because a proxy that writes one usually passes a client's own copy
 * of the other through untouched.
 */
public enum ForwardingHeader {
    /** {@code X-Forwarded-For}: bare IP literals, comma-separated (the default: what most proxies append). */
    X_FORWARDED_FOR("x-forwarded-for", "X-Forwarded-For"),
    /** {@code Forwarded} (RFC 7239): the {@code for=} node of each element. */
    FORWARDED("forwarded", "Forwarded");

    private final String settingValue;
    private final String headerName;

    ForwardingHeader(String settingValue, String headerName) {
        this.settingValue = settingValue;
        this.headerName = headerName;
    }

    /** The value as written in the settings. */
    public String settingValue() {
        return settingValue;
    }

    /** The HTTP header name. */
    public String headerName() {
        return headerName;
    }

    /** {@code x-forwarded-for} or {@code forwarded} (case-insensitive); null for anything else. */
    public static ForwardingHeader fromSetting(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (ForwardingHeader h : values()) {
            if (h.settingValue.equals(v)) {
                return h;
            }
        }
        return null;
    }
}
