package dev.bulwark.identity.oidc;

import dev.bulwark.config.NamedSettingGroups;

import dev.bulwark.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OIDC issuers Bulwark trusts, keyed by their exact {@code iss}. Immutable; empty means no OIDC
 * tokens are accepted at all.
 *
 * <h2>Configuration format</h2>
 * In the properties config file, one group of keys per issuer, {@code <name>} being the operator's
 * short name ({@code a-z 0-9 -}, up to 32 characters):
 * <pre>
 * oidc.issuer.keycloak.url=https://login.example.com/realms/bulwark     (required; the exact iss)
 * oidc.issuer.keycloak.audiences=https://cognitiveservices.azure.com,api://bulwark
 *                                   (default: https://cognitiveservices.azure.com)
 * oidc.issuer.keycloak.principal-claims=oid,sub                      (default: oid,sub; first present wins)
 * oidc.issuer.keycloak.groups-claim=groups                           (default: groups)
 * oidc.issuer.keycloak.algorithms=RS256,ES256                        (default: RS256,PS256,ES256)
 * oidc.issuer.keycloak.ca-certificate=/etc/bulwark/keycloak-ca.pem   (default: the JDK's trusted roots)
 * oidc.issuer.keycloak.clock-leeway-seconds=30                       (default and maximum: 60)
 * oidc.issuer.keycloak.allow-insecure-loopback=false                 (default: false; true permits http://127.0.0.1/localhost)
 * </pre>
 * Lists are comma-separated. An unknown field, a missing {@code url}, a bad value or the same issuer
 * URL under two names stops the boot with a message naming the key.
 */
public final class TrustedIssuers {
    /** Every key of an issuer starts with this; Settings hands all such keys to {@link #fromProperties}. */
    public static final String KEY_PREFIX = "oidc.issuer.";

    /** The fields an issuer may set: {@code oidc.issuer.<name>.<field>}. */
    public static final Set<String> FIELDS = Set.of("url", "audiences", "principal-claims", "groups-claim",
            "algorithms", "ca-certificate", "clock-leeway-seconds", "allow-insecure-loopback");

    /** The audience of Azure AI services tokens (WIRE.md), accepted when an issuer names none. */
    public static final String DEFAULT_AUDIENCE = "https://cognitiveservices.azure.com";

    private static final long MAX_CA_FILE_BYTES = 1 << 20;
    private static final TrustedIssuers NONE = new TrustedIssuers(List.of());

    private final Map<String, TrustedIssuer> byIssuer;

    private TrustedIssuers(Collection<TrustedIssuer> issuers) {
        Map<String, TrustedIssuer> map = new LinkedHashMap<>();
        Set<String> names = new TreeSet<>();
        for (TrustedIssuer i : issuers) {
            if (!names.add(i.name())) {
                throw new ConfigException("OIDC issuer name '" + i.name() + "' is used twice");
            }
            TrustedIssuer previous = map.putIfAbsent(i.issuer(), i);
            if (previous != null) {
                throw new ConfigException("OIDC issuers '" + previous.name() + "' and '" + i.name()
                        + "' have the same URL " + i.issuer() + "; configure it once");
            }
        }
        this.byIssuer = java.util.Collections.unmodifiableMap(map);
    }

    public static TrustedIssuers none() {
        return NONE;
    }

    public static TrustedIssuers of(TrustedIssuer... issuers) {
        return new TrustedIssuers(List.of(issuers));
    }

    public static TrustedIssuers of(Collection<TrustedIssuer> issuers) {
        return new TrustedIssuers(List.copyOf(issuers));
    }

    /** Whether a config key belongs to this format (so that Settings does not call it unknown). */
    public static boolean isIssuerKey(String key) {
        return key.startsWith(KEY_PREFIX);
    }

    /** Parses the format above from properties text (keys not starting with {@value #KEY_PREFIX} are ignored). */
    public static TrustedIssuers parse(String text) {
        return fromProperties(NamedSettingGroups.load(text, "OIDC issuer"));
    }

    /** Reads every {@code oidc.issuer.<name>.<field>} key of {@code properties}; other keys are ignored. */
    public static TrustedIssuers fromProperties(Properties properties) {
        Map<String, Map<String, String>> fieldsByName = NamedSettingGroups.read(properties, KEY_PREFIX, FIELDS, "OIDC issuer");
        List<TrustedIssuer> issuers = new ArrayList<>();
        fieldsByName.forEach((name, fields) -> issuers.add(issuerFrom(name, fields)));
        return new TrustedIssuers(issuers);
    }

    private static TrustedIssuer issuerFrom(String name, Map<String, String> f) {
        String prefix = KEY_PREFIX + name + ".";
        String url = f.get("url");
        if (url == null || url.isEmpty()) {
            throw new ConfigException("OIDC issuer '" + name + "' has no " + prefix + "url");
        }
        TrustedIssuer.Builder b = TrustedIssuer.builder(name, url)
                .audiences(list(f.getOrDefault("audiences", DEFAULT_AUDIENCE), prefix + "audiences"));
        if (f.containsKey("principal-claims")) {
            b.principalClaims(list(f.get("principal-claims"), prefix + "principal-claims").toArray(String[]::new));
        }
        if (f.containsKey("groups-claim")) {
            b.groupsClaim(f.get("groups-claim"));
        }
        if (f.containsKey("algorithms")) {
            b.algorithmNames(list(f.get("algorithms"), prefix + "algorithms"));
        }
        if (f.containsKey("ca-certificate")) {
            b.caCertificatePem(readCaFile(f.get("ca-certificate"), prefix + "ca-certificate"));
        }
        if (f.containsKey("clock-leeway-seconds")) {
            b.clockLeeway(Duration.ofSeconds(seconds(f.get("clock-leeway-seconds"), prefix + "clock-leeway-seconds")));
        }
        if (f.containsKey("allow-insecure-loopback")) {
            b.allowInsecureLoopback(bool(f.get("allow-insecure-loopback"), prefix + "allow-insecure-loopback"));
        }
        return b.build();
    }

    private static List<String> list(String value, String key) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String v = part.strip();
            if (v.isEmpty()) {
                throw new ConfigException(key + " has an empty entry in '" + value + "'");
            }
            if (out.contains(v)) {
                throw new ConfigException(key + ": '" + v + "' is listed twice");
            }
            out.add(v);
        }
        return out;
    }

    private static long seconds(String value, String key) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number of seconds, got '" + value + "'");
        }
    }

    private static boolean bool(String value, String key) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key + " must be true or false, got '" + value + "'");
        };
    }

    private static String readCaFile(String path, String key) {
        if (path.isEmpty()) {
            throw new ConfigException(key + " is empty; remove it to use the system's trusted roots");
        }
        Path file = Path.of(path);
        try {
            long size = Files.size(file);
            if (size > MAX_CA_FILE_BYTES) {
                throw new ConfigException(key + ": " + file + " is " + size + " bytes; a CA certificate file is far smaller");
            }
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new ConfigException(key + ": " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The issuer whose {@code iss} is exactly {@code iss}. */
    public Optional<TrustedIssuer> find(String iss) {
        return iss == null ? Optional.empty() : Optional.ofNullable(byIssuer.get(iss));
    }

    public Collection<TrustedIssuer> all() {
        return byIssuer.values();
    }

    public boolean isEmpty() {
        return byIssuer.isEmpty();
    }

    @Override
    public String toString() {
        return "TrustedIssuers" + byIssuer.values();
    }
}
