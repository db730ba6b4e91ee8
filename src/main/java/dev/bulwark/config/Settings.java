package dev.bulwark.config;

import dev.bulwark.identity.oidc.TrustedIssuers;
import dev.bulwark.network.ForwardingHeader;
import dev.bulwark.network.Cidr;
import dev.bulwark.network.NamedNetworks;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Bulwark's settings, frozen at startup. Sources, later winning: built-in defaults, the optional
 * config file (Java properties), environment variables. Secrets are never read from the config
 * file itself: there it may only name them ({@code env:}/{@code file:}).
 *
 * @param home              state directory (database, generated certificate, generated secrets)
 * @param dataListen        data-plane listener
 * @param managementListen  management-plane listener
 * @param publicHost        host name used in account endpoints
 * @param baseDomain        optional: {@code <account>.<baseDomain>} also resolves the account
 * @param tlsCertificate    PEM certificate chain, or empty to generate a self-signed one
 * @param tlsPrivateKey     PEM private key, or empty
 * @param maxBodyBytes      largest data-plane request body accepted
 * @param adminToken        bootstrap management token, or empty to generate one on first run
 * @param masterKey         root key for encrypting secrets at rest, or empty to generate one
 * @param oidcIssuers       trusted OIDC issuers ({@code oidc.issuer.<name>.<field>} in the config file)
 * @param usageFlushSeconds how often counted model-deployment usage is written to the database (1-3600 s)
 * @param trustedProxies    networks of reverse proxies whose forwarding headers are believed (default none)
 * @param trustedProxyHeader the one forwarding header the trusted proxies write and the only one read
 *                          ({@code x-forwarded-for}, the default, or {@code forwarded})
 * @param dataProxyProtocol whether the data listener expects a PROXY protocol (v1/v2) header first
 * @param privateDataListen optional second data listener, named "private" and marked private (the
 *                          private-endpoint analogue: {@code publicNetworkAccess: Disabled} lets it in)
 * @param networks          named networks for virtual network rules ({@code network.<name>.<field>} in the config file)
 * @param fetch             how Bulwark fetches client-given URLs (inlined chat images); see {@link FetchSettings}
 * @param pkcs11            the PKCS#11 HSM for customer-managed keys, or empty for none
 *                          ({@code pkcs11.library}, {@code pkcs11.slot}, {@code pkcs11.pin}: all three or none)
 * @param vaultRetentionDays   how long soft-deleted vault secrets and keys are kept (7-90, default 90)
 * @param vaultPurgeProtection refuse purging soft-deleted vault items before their retention ends
 * @param serviceKeyInHsm     the name of an HSM key to use as the service (outer-layer) key instead of the
 *                             key derived from the master key; needs the pkcs11 settings
 * @param serviceKeyVersion  the primary version of the service key derived from the master key (raise it to
 *                           rotate; every older version still unwraps, then {@code rewrap} moves data keys)
 * @param dataKeyCacheSeconds how long an unwrapped customer-layer data key is kept (0 turns the cache off)
 * @param customerKeyCheckSeconds how often every customer-managed key is re-checked (an HSM key deleted
 *                             outside Bulwark, a vault key past its expiry); vault changes apply at once
 */
public record Settings(
        Path home,
        HostPort dataListen,
        HostPort managementListen,
        String publicHost,
        Optional<String> baseDomain,
        Optional<Path> tlsCertificate,
        Optional<Path> tlsPrivateKey,
        int maxBodyBytes,
        Optional<SecretValue> adminToken,
        Optional<SecretValue> masterKey,
        TrustedIssuers oidcIssuers,
        int usageFlushSeconds,
        List<Cidr> trustedProxies,
        ForwardingHeader trustedProxyHeader,
        boolean dataProxyProtocol,
        Optional<HostPort> privateDataListen,
        NamedNetworks networks,
        FetchSettings fetch,
        Optional<Pkcs11Settings> pkcs11,
        int vaultRetentionDays,
        boolean vaultPurgeProtection,
        int customerKeyCheckSeconds,
        Optional<String> serviceKeyInHsm,
        int dataKeyCacheSeconds,
        int serviceKeyVersion) {

    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_USAGE_FLUSH_SECONDS = 10;
    /** Key Vault's default soft-delete retention. */
    public static final int DEFAULT_VAULT_RETENTION_DAYS = 90;
    public static final int DEFAULT_CUSTOMER_KEY_CHECK_SECONDS = 30;
    public static final int DEFAULT_DATA_KEY_CACHE_SECONDS = 60;

    /** Setting name in the config file -> environment variable. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("home", "BULWARK_HOME"),
            Map.entry("data.listen", "BULWARK_DATA_LISTEN"),
            Map.entry("management.listen", "BULWARK_MANAGEMENT_LISTEN"),
            Map.entry("public.host", "BULWARK_PUBLIC_HOST"),
            Map.entry("base.domain", "BULWARK_BASE_DOMAIN"),
            Map.entry("tls.certificate", "BULWARK_TLS_CERT"),
            Map.entry("tls.private-key", "BULWARK_TLS_KEY"),
            Map.entry("max.body.bytes", "BULWARK_MAX_BODY_BYTES"),
            Map.entry("admin.token", "BULWARK_ADMIN_TOKEN"),
            Map.entry("master.key", "BULWARK_MASTER_KEY"),
            Map.entry("usage.flush.seconds", "BULWARK_USAGE_FLUSH_SECONDS"),
            Map.entry("trusted.proxies", "BULWARK_TRUSTED_PROXIES"),
            Map.entry("trusted.proxies.header", "BULWARK_TRUSTED_PROXY_HEADER"),
            Map.entry("data.proxy-protocol", "BULWARK_DATA_PROXY_PROTOCOL"),
            Map.entry("data.private.listen", "BULWARK_PRIVATE_DATA_LISTEN"),
            Map.entry("fetch.allowed-cidrs", "BULWARK_FETCH_ALLOWED_CIDRS"),
            Map.entry("fetch.allow-http", "BULWARK_FETCH_ALLOW_HTTP"),
            Map.entry("fetch.max-bytes", "BULWARK_FETCH_MAX_BYTES"),
            Map.entry("fetch.timeout.seconds", "BULWARK_FETCH_TIMEOUT_SECONDS"),
            Map.entry("inline-images.max-total-bytes", "BULWARK_INLINE_IMAGES_MAX_TOTAL_BYTES"),
            Map.entry("pkcs11.library", "BULWARK_PKCS11_LIBRARY"),
            Map.entry("pkcs11.slot", "BULWARK_PKCS11_SLOT"),
            Map.entry("pkcs11.pin", "BULWARK_PKCS11_PIN"),
            Map.entry("vault.retention-days", "BULWARK_VAULT_RETENTION_DAYS"),
            Map.entry("vault.purge-protection", "BULWARK_VAULT_PURGE_PROTECTION"),
            Map.entry("customer-key.check-seconds", "BULWARK_CUSTOMER_KEY_CHECK_SECONDS"),
            Map.entry("service-key.pkcs11", "BULWARK_SERVICE_KEY_PKCS11"),
            Map.entry("data-key-cache.seconds", "BULWARK_DATA_KEY_CACHE_SECONDS"),
            Map.entry("service-key.version", "BULWARK_SERVICE_KEY_VERSION"));

    private static final Set<String> SECRETS = Set.of("admin.token", "master.key");

    public Settings {
        if (maxBodyBytes < 1024 || maxBodyBytes > 64 * 1024 * 1024) {
            throw new ConfigException("max body bytes must be between 1024 and 67108864, got " + maxBodyBytes);
        }
        if (tlsCertificate.isPresent() != tlsPrivateKey.isPresent()) {
            throw new ConfigException("set both the TLS certificate and the TLS private key, or neither");
        }
        if (usageFlushSeconds < 1 || usageFlushSeconds > 3600) {
            throw new ConfigException("usage flush seconds must be between 1 and 3600, got " + usageFlushSeconds);
        }
        if (vaultRetentionDays < 7 || vaultRetentionDays > 90) {
            throw new ConfigException("vault.retention-days must be between 7 and 90, got " + vaultRetentionDays);
        }
        trustedProxies = List.copyOf(trustedProxies);
        java.util.Objects.requireNonNull(trustedProxyHeader, "trustedProxyHeader");
        // Listeners reuse ports (SO_REUSEPORT), so the same address twice would bind twice and the
        // kernel would deal connections between a public and a private listener.
        if (privateDataListen.isPresent() && privateDataListen.get().port() != 0
                && (privateDataListen.get().equals(dataListen) || privateDataListen.get().equals(managementListen))) {
            throw new ConfigException("data.private.listen must differ from data.listen and management.listen, got "
                    + privateDataListen.get());
        }
    }

    /**
     * Loads settings. {@code configFile} may be null: then {@code BULWARK_CONFIG} names it, if set.
     */
    public static Settings load(Path configFile, Map<String, String> env) {
        Properties file = new Properties();
        Path configPath = configFile != null ? configFile
                : (env.get("BULWARK_CONFIG") != null ? Path.of(env.get("BULWARK_CONFIG")) : null);
        if (configPath != null) {
            try (Reader r = Files.newBufferedReader(configPath, StandardCharsets.UTF_8)) {
                file.load(r);
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + configPath + ": " + e.getMessage());
            }
            Set<String> unknown = new TreeSet<>(file.stringPropertyNames());
            unknown.removeAll(NAMES.keySet());
            unknown.removeIf(TrustedIssuers::isIssuerKey);
            unknown.removeIf(NamedNetworks::isNetworkKey);
            if (!unknown.isEmpty()) {
                throw new ConfigException("unknown setting(s) in " + configPath + ": " + unknown
                        + "; known: " + new TreeSet<>(NAMES.keySet()));
            }
        }
        Source s = new Source(file, env);
        Path home = Path.of(s.get("home").orElse(".bulwark")).toAbsolutePath().normalize();
        Settings settings = new Settings(
                home,
                HostPort.parse(s.get("data.listen").orElse("0.0.0.0:8443"), "data.listen"),
                HostPort.parse(s.get("management.listen").orElse("127.0.0.1:8444"), "management.listen"),
                s.get("public.host").orElse("localhost"),
                s.get("base.domain").map(d -> d.toLowerCase(java.util.Locale.ROOT)),
                s.get("tls.certificate").map(Path::of),
                s.get("tls.private-key").map(Path::of),
                s.get("max.body.bytes").map(v -> parseInt(v, "max.body.bytes")).orElse(DEFAULT_MAX_BODY_BYTES),
                s.secret("admin.token"),
                s.secret("master.key"),
                oidcIssuers(file),
                s.get("usage.flush.seconds").map(v -> parseInt(v, "usage.flush.seconds")).orElse(DEFAULT_USAGE_FLUSH_SECONDS),
                s.get("trusted.proxies").map(Settings::parseTrustedProxies).orElse(List.of()),
                s.get("trusted.proxies.header").map(Settings::parseTrustedProxyHeader).orElse(ForwardingHeader.X_FORWARDED_FOR),
                s.get("data.proxy-protocol").map(v -> parseBoolean(v, "data.proxy-protocol")).orElse(false),
                s.get("data.private.listen").map(v -> HostPort.parse(v, "data.private.listen")),
                NamedNetworks.fromProperties(file),
                FetchSettings.read(s::get),
                pkcs11(s, env),
                s.get("vault.retention-days").map(v -> parseInt(v, "vault.retention-days")).orElse(DEFAULT_VAULT_RETENTION_DAYS),
                s.get("vault.purge-protection").map(v -> parseBoolean(v, "vault.purge-protection")).orElse(false),
                s.get("customer-key.check-seconds").map(v -> parseInt(v, "customer-key.check-seconds"))
                        .map(v -> requireRange(v, 1, 3600, "customer-key.check-seconds (BULWARK_CUSTOMER_KEY_CHECK_SECONDS)"))
                        .orElse(DEFAULT_CUSTOMER_KEY_CHECK_SECONDS),
                s.get("service-key.pkcs11"),
                s.get("data-key-cache.seconds").map(v -> parseInt(v, "data-key-cache.seconds"))
                        .map(v -> requireRange(v, 0, 3600, "data-key-cache.seconds (BULWARK_DATA_KEY_CACHE_SECONDS)"))
                        .orElse(DEFAULT_DATA_KEY_CACHE_SECONDS),
                s.get("service-key.version").map(v -> parseInt(v, "service-key.version"))
                        .map(v -> requireRange(v, 1, 1000, "service-key.version (BULWARK_SERVICE_KEY_VERSION)"))
                        .orElse(1));
        checkServiceKey(settings);
        return settings;
    }

    /** The HSM service key needs the HSM, and a name the envelope header can carry. */
    private static void checkServiceKey(Settings s) {
        if (s.serviceKeyInHsm().isEmpty()) {
            return;
        }
        if (s.pkcs11().isEmpty()) {
            throw new ConfigException("service-key.pkcs11 (BULWARK_SERVICE_KEY_PKCS11) names an HSM key, but no HSM is configured "
                    + "(pkcs11.library, pkcs11.slot, pkcs11.pin)");
        }
        if (!s.serviceKeyInHsm().get().matches("[A-Za-z0-9][A-Za-z0-9_-]{0,126}")) {
            throw new ConfigException("service-key.pkcs11 (BULWARK_SERVICE_KEY_PKCS11) must be a key name of letters, digits, '_' or '-'");
        }
    }

    /**
     * The HSM settings: all three or none. Unlike the master key, the PIN is a secret reference
     * even in the environment ({@code BULWARK_PKCS11_PIN=env:HSM_PIN} or {@code file:/run/secrets/pin}),
     * so the PIN itself never sits in a variable every child process inherits under a well-known name.
     */
    static Optional<Pkcs11Settings> pkcs11(Source s, Map<String, String> env) {
        Optional<String> library = s.get("pkcs11.library");
        Optional<String> slot = s.get("pkcs11.slot");
        Optional<String> pin = s.get("pkcs11.pin");
        if (library.isEmpty() && slot.isEmpty() && pin.isEmpty()) {
            return Optional.empty();
        }
        if (library.isEmpty() || slot.isEmpty() || pin.isEmpty()) {
            throw new ConfigException("the PKCS#11 HSM needs all of pkcs11.library (BULWARK_PKCS11_LIBRARY), "
                    + "pkcs11.slot (BULWARK_PKCS11_SLOT) and pkcs11.pin (BULWARK_PKCS11_PIN), or none of them");
        }
        long slotId;
        try {
            slotId = Long.parseLong(slot.get());
        } catch (NumberFormatException e) {
            throw new ConfigException("pkcs11.slot (BULWARK_PKCS11_SLOT) must be a slot id, got '" + slot.get() + "'");
        }
        SecretValue pinValue = SecretReference.parse(pin.get(), "pkcs11.pin (BULWARK_PKCS11_PIN)").resolve(env);
        return Optional.of(new Pkcs11Settings(Path.of(library.get()), slotId, pinValue));
    }

    /** {@code x-forwarded-for} or {@code forwarded}; anything else stops the startup (a typo must not silently read the wrong header). */
    static ForwardingHeader parseTrustedProxyHeader(String value) {
        ForwardingHeader h = ForwardingHeader.fromSetting(value);
        if (h == null) {
            throw new ConfigException("trusted.proxies.header (BULWARK_TRUSTED_PROXY_HEADER) must be 'x-forwarded-for' or "
                    + "'forwarded' (the one header the trusted proxies write), got '" + value + "'");
        }
        return h;
    }

    /**
     * Comma-separated addresses or CIDRs, parsed by the network rules' strict parser (no DNS, no
     * host bits). A bad entry stops the startup, naming the entry: a typo here would otherwise
     * silently trust nobody, or the wrong network.
     */
    static List<Cidr> parseTrustedProxies(String value) {
        List<Cidr> out = new ArrayList<>();
        for (String entry : value.split(",", -1)) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            try {
                out.add(Cidr.parse(e));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException("trusted.proxies (BULWARK_TRUSTED_PROXIES): entry '" + e + "' " + ex.getMessage());
            }
        }
        return out;
    }

    private static TrustedIssuers oidcIssuers(Properties file) {
        try {
            return TrustedIssuers.fromProperties(file);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static boolean parseBoolean(String v, String name) {
        return switch (v.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(name + " must be true or false, got '" + v + "'");
        };
    }

    private static int requireRange(int v, int min, int max, String name) {
        if (v < min || v > max) {
            throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    private static int parseInt(String v, String name) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + v + "'");
        }
    }

    /** Reads one setting from the environment first, then the file. */
    private record Source(Properties file, Map<String, String> env) {
        Optional<String> get(String name) {
            String fromEnv = env.get(NAMES.get(name));
            if (fromEnv != null && !fromEnv.isBlank()) {
                return Optional.of(fromEnv.strip());
            }
            String fromFile = file.getProperty(name);
            return fromFile == null || fromFile.isBlank() ? Optional.empty() : Optional.of(fromFile.strip());
        }

        Optional<SecretValue> secret(String name) {
            String variable = NAMES.get(name);
            String fromEnv = env.get(variable);
            if (fromEnv != null && !fromEnv.isEmpty()) {
                // The environment variable holds the secret itself.
                return Optional.of(new SecretValue(fromEnv, "env:" + variable));
            }
            String fromFile = file.getProperty(name);
            if (fromFile == null || fromFile.isBlank()) {
                return Optional.empty();
            }
            assert SECRETS.contains(name);
            return Optional.of(SecretReference.parse(fromFile.strip(), name).resolve(env));
        }
    }
}
