package dev.bulwark.server;

import dev.bulwark.account.AccountEndpoints;
import dev.bulwark.account.AccountKeyCipher;
import dev.bulwark.account.AccountService;
import dev.bulwark.account.AccountSnapshotLoader;
import dev.bulwark.audit.AuditLog;
import dev.bulwark.config.ConfigException;
import dev.bulwark.config.HostPort;
import dev.bulwark.config.Settings;
import dev.bulwark.crypto.KeyedDigest;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.crypto.SecretBox;
import dev.bulwark.crypto.SecureFiles;
import dev.bulwark.deployment.DeploymentService;
import dev.bulwark.deployment.DeploymentSnapshotLoader;
import dev.bulwark.identity.AdminToken;
import dev.bulwark.identity.ManagementAuthenticator;
import dev.bulwark.identity.rbac.RbacService;
import dev.bulwark.metrics.Metrics;
import dev.bulwark.server.management.ManagementPlane;
import dev.bulwark.server.tls.TlsMaterial;
import dev.bulwark.server.tls.TlsFailures;
import dev.bulwark.server.tls.TlsPolicy;
import dev.bulwark.identity.oidc.OidcKeys;
import dev.bulwark.identity.oidc.OidcTokenVerifier;
import dev.bulwark.identity.token.TokenService;
import dev.bulwark.identity.workload.ClientCredentialsEndpoint;
import dev.bulwark.identity.workload.ManagedIdentityEndpoint;
import dev.bulwark.identity.workload.WorkloadIdentityService;
import dev.bulwark.identity.workload.WorkloadTokenMinter;
import dev.bulwark.identity.workload.WorkloadTokenPolicy;
import dev.bulwark.pipeline.BearerVerifier;
import dev.bulwark.service.DataPlaneRoute;
import dev.bulwark.fetch.Resolver;
import dev.bulwark.fetch.SafeFetcher;
import dev.bulwark.service.openai.ImageInliner;
import dev.bulwark.service.openai.OpenAiProxy;
import dev.bulwark.service.openai.OpenAiRoutes;
import dev.bulwark.service.openai.QuotaLimiter;
import dev.bulwark.service.sts.IssueTokenRoute;
import dev.bulwark.service.language.AnalyzeTextRoute;
import dev.bulwark.service.language.LanguageService;
import dev.bulwark.snapshot.SnapshotHolder;
import dev.bulwark.store.Database;
import dev.bulwark.account.CustomerKeyAccess;
import dev.bulwark.account.KeyringCustomerKeys;
import dev.bulwark.crypto.DataKeyCache;
import dev.bulwark.crypto.KeyProvider;
import dev.bulwark.crypto.KeySource;
import dev.bulwark.crypto.pkcs11.Pkcs11KeyProvider;
import dev.bulwark.vault.VaultKeyProvider;
import dev.bulwark.crypto.EnvelopeCipher;
import dev.bulwark.crypto.KeyProviders;
import dev.bulwark.crypto.ObjectCipher;
import dev.bulwark.crypto.ServiceKeyProvider;
import dev.bulwark.vault.VaultApi;
import dev.bulwark.vault.VaultItems;
import dev.bulwark.vault.VaultKeys;
import dev.bulwark.vault.VaultPolicy;
import dev.bulwark.vault.VaultSecrets;
import dev.bulwark.usage.UsageLedger;
import dev.bulwark.usage.UsageRecorder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One running Bulwark: state, snapshot, both listeners. {@link #start} wires everything in the
 * order it depends on; {@link #close} takes it down in reverse and drains the audit log.
 */
public final class Bulwark implements AutoCloseable {
    private static final java.util.logging.Logger CONNECTION_LOG = java.util.logging.Logger.getLogger("dev.bulwark.server.connections");
    private final Vertx vertx;
    private final Database db;
    private final AuditLog audit;
    private final HttpServer dataServer;
    private final List<HttpServer> moreDataServers;
    private final List<HttpServer> privateDataServers;
    private final HttpServer managementServer;
    private final TlsMaterial tls;
    private final AccountService accounts;
    private final SnapshotHolder snapshots;
    private final AdminToken.Bootstrap adminBootstrap;
    private final OidcKeys oidcKeys;
    private final UsageLedger usage;
    private final SafeFetcher fetcher;
    private final String issuer;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private static final int UPSTREAM_CONNECTIONS = 256;
    private static final int DATA_EVENT_LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private Bulwark(Vertx vertx, Database db, AuditLog audit, HttpServer dataServer, List<HttpServer> moreDataServers,
                    List<HttpServer> privateDataServers, HttpServer managementServer,
                    TlsMaterial tls, AccountService accounts, SnapshotHolder snapshots, AdminToken.Bootstrap adminBootstrap, OidcKeys oidcKeys,
                    UsageLedger usage, SafeFetcher fetcher, String issuer) {
        this.fetcher = fetcher;
        this.issuer = issuer;
        this.snapshots = snapshots;
        this.usage = usage;
        this.oidcKeys = oidcKeys;
        this.vertx = vertx;
        this.db = db;
        this.audit = audit;
        this.dataServer = dataServer;
        this.moreDataServers = List.copyOf(moreDataServers);
        this.privateDataServers = List.copyOf(privateDataServers);
        this.managementServer = managementServer;
        this.tls = tls;
        this.accounts = accounts;
        this.adminBootstrap = adminBootstrap;
    }

    public static Bulwark start(Settings settings) {
        return start(settings, Clock.systemUTC());
    }

    /**
     * @param quotaClock the clock quota windows are measured with (tests move it; production uses
     *                   the system clock)
     */
    public static Bulwark start(Settings settings, Clock quotaClock) {
        Path home = settings.home();
        prepareHome(home);
        // The language model takes a second or two to load: do it while the rest starts.
        CompletableFuture<LanguageService> language = CompletableFuture.supplyAsync(LanguageService::shared);

        MasterKey master = settings.masterKey().map(MasterKey::from).orElseGet(() -> MasterKey.loadOrGenerate(home));
        Database db = Database.openSqlite(home.resolve("bulwark.db"));
        List<AutoCloseable> opened = new ArrayList<>();
        opened.add(db);
        Vertx vertx = null;
        try {
            AuditLog audit = new AuditLog(db);
            opened.add(0, audit);
            UsageLedger usage = UsageLedger.start(db, java.time.Duration.ofSeconds(settings.usageFlushSeconds()));
            opened.add(0, usage);
            AdminToken.Bootstrap admin = AdminToken.bootstrap(settings.adminToken(), db, home);

            List<String> names = new ArrayList<>();
            names.add(settings.publicHost());
            settings.baseDomain().ifPresent(d -> names.add("*." + d));
            // <name>.vault.<base domain>: a host the Key Vault SDKs accept for the resource https://vault.<base domain>.
            settings.baseDomain().ifPresent(d -> names.add("*.vault." + d));
            TlsMaterial tls;
            try {
                tls = TlsMaterial.loadOrGenerate(home, settings.tlsCertificate().orElse(null),
                        settings.tlsPrivateKey().orElse(null), names);
            } catch (dev.bulwark.server.tls.TlsConfigurationException e) {
                throw new ConfigException("TLS: " + e.getMessage(), e);
            }

            KeyedDigest keyDigest = KeyedDigest.forPurpose(master, AccountKeyCipher.DIGEST_PURPOSE);
            // The keyring: the service key (from the master key) seals everything; the vault's keys and,
            // when configured, the HSM's can add a customer-managed inner layer to an account's data.
            DataKeyCache keyCache = DataKeyCache.create(DataKeyCache.DEFAULT_MAX_ENTRIES,
                    java.time.Duration.ofSeconds(settings.dataKeyCacheSeconds()));
            // Versions 1..n of the derived service key: n wraps new data keys, all older ones still unwrap.
            KeyProvider serviceKey = ServiceKeyProvider.fromMasterKey(master, settings.serviceKeyVersion());
            Optional<Pkcs11KeyProvider> hsm = settings.pkcs11().map(Pkcs11KeyProvider::open);
            // The service key is derived from the master key, or is a key in the HSM that never leaves it.
            // The derived one stays registered either way, so envelopes sealed before a move still open.
            KeyProviders serviceProviders = hsm.<KeyProviders>map(h -> KeyProviders.of(serviceKey, h)).orElseGet(() -> KeyProviders.of(serviceKey));
            if (settings.serviceKeyInHsm().isPresent()) {
                try {
                    hsm.orElseThrow().current(settings.serviceKeyInHsm().get());
                } catch (dev.bulwark.crypto.KeyAccessDeniedException e) {
                    throw new ConfigException("service-key.pkcs11: the HSM has no usable key '" + settings.serviceKeyInHsm().get()
                            + "' (its version 1 is labelled '" + settings.serviceKeyInHsm().get() + ".1'; see docs/hsm.md)");
                }
            }
            // The vault's own contents are under the service key only: it is not any one account's data.
            ObjectCipher vaultCipher = serviceCipher(serviceProviders, settings, keyCache);
            VaultItems vaultItems = new VaultItems(db, Clock.systemUTC(), new VaultPolicy(settings.vaultRetentionDays(), settings.vaultPurgeProtection()));
            VaultKeys vaultKeys = new VaultKeys(vaultItems, vaultCipher);
            VaultSecrets vaultSecrets = new VaultSecrets(vaultItems, vaultCipher);
            VaultKeyProvider vaultKeyProvider = new VaultKeyProvider(vaultKeys);
            List<KeyProvider> providers = new ArrayList<>(List.of(serviceKey, vaultKeyProvider));
            hsm.ifPresent(providers::add);
            KeyProviders accountProviders = KeyProviders.of(providers.toArray(KeyProvider[]::new));
            ObjectCipher accountCipher = serviceCipher(accountProviders, settings, keyCache);
            AccountKeyCipher cipher = new AccountKeyCipher(keyDigest, accountCipher,
                    SecretBox.forPurpose(master, AccountKeyCipher.ENCRYPTION_PURPOSE));
            CustomerKeyAccess customerKeys = new KeyringCustomerKeys(accountProviders, keyCache,
                    uri -> isBuiltInVaultUri(uri, settings), "https://" + settings.publicHost() + ":<data port>");
            // Deployment credentials are env:/file:/vault: references, resolved here when each snapshot is built.
            SnapshotHolder snapshots = new SnapshotHolder(new AccountSnapshotLoader(db,
                    new DeploymentSnapshotLoader(System.getenv(), home, vaultSecrets::readForReference), settings.networks(), customerKeys,
                    accountCipher::keysOf));
            // A vault key disabled, deleted or rotated: cached data keys go at once, and the snapshot
            // re-checks which accounts' customer-managed keys are usable.
            vaultKeyProvider.onKeyStateChanged(name -> {
                keyCache.invalidateAll(KeySource.VAULT, name);
                snapshots.refresh();
            });
            // A secret set, disabled or deleted: deployments with vault: credentials resolve it again now,
            // not only at the next periodic refresh.
            vaultSecrets.onSecretStateChanged(name -> snapshots.refresh());
            snapshots.refresh();
            Metrics metrics = new Metrics();

            vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
            final Vertx vx = vertx;
            LanguageService languageService = language.join();
            // Token-signing keys are no account's data either: the vault's service-key-only cipher seals them.
            TokenService tokens = new TokenService(db, master, vaultCipher, Clock.systemUTC(), issuer(settings));
            // Connections per upstream host: above the concurrent requests one node should send a model server.
            // One fetcher for every client-given URL Bulwark fetches (today: inlined chat images).
            SafeFetcher fetcher = new SafeFetcher(vertx, settings.fetch().policy(), Resolver.system());
            ImageInliner images = new ImageInliner(fetcher, settings.fetch().allowHttp(), settings.fetch().inlineMaxTotalBytes());
            OpenAiProxy openAi = new OpenAiProxy(vertx, UPSTREAM_CONNECTIONS, new QuotaLimiter(quotaClock::millis), usage.recorder()::record,
                    audit::append, images, metrics::rejection);
            List<DataPlaneRoute> routes = new ArrayList<>(List.of(new AnalyzeTextRoute(languageService), new IssueTokenRoute(tokens)));
            routes.addAll(OpenAiRoutes.all(openAi));
            OidcKeys oidcKeys = new OidcKeys(settings.oidcIssuers(), Clock.systemUTC());
            opened.add(0, oidcKeys);
            oidcKeys.prefetch(); // in the background: an issuer that is down does not stop the boot
            OidcTokenVerifier oidc = new OidcTokenVerifier(settings.oidcIssuers(), oidcKeys, Clock.systemUTC());
            BearerVerifier bearer = new DataPlaneBearerVerifier(tokens, OidcBearer.forDataPlane(oidc));
            WorkloadIdentityService workloadIdentities = WorkloadIdentityService.create(db, master, Clock.systemUTC(), snapshots::refresh);
            dev.bulwark.network.IpRuleSet trustedProxies = dev.bulwark.network.IpRuleSet.of(settings.trustedProxies());
            WorkloadTokenRoutes workloadTokens = new WorkloadTokenRoutes(vertx, audit, metrics,
                    new dev.bulwark.pipeline.ClientAddressStage(trustedProxies, settings.trustedProxyHeader()));
            VaultApi vaultApi = new VaultApi(vaultItems, vaultSecrets, vaultKeys,
                    (principal, scope, action) -> snapshots.current().access().permitsDataAction(principal, scope, action));
            VaultAudiences vaultAudiences = new VaultAudiences(settings.baseDomain());
            VaultRoutes dataVault = new VaultRoutes(vertx, vaultApi, audit, metrics, "data",
                    header -> vaultBearer(header, tokens, oidc, vaultAudiences.all()), tokens.issuer(), vaultAudiences);
            DataPlane dataPlane = new DataPlane(vertx, DataPlanePipeline.build(settings.baseDomain(), keyDigest, bearer, routes, trustedProxies,
                    settings.trustedProxyHeader()),
                    snapshots, audit, metrics, settings.maxBodyBytes(), new TokenDiscovery(tokens), workloadTokens, dataVault,
                    new dev.bulwark.pipeline.ClientAddressStage(trustedProxies, settings.trustedProxyHeader()));

            List<HttpServer> dataServers = listenData(vertx, settings.dataListen(), tls, dataPlane, settings.dataProxyProtocol());
            HttpServer dataServer = dataServers.get(0);
            List<HttpServer> moreDataServers = new ArrayList<>(dataServers.subList(1, dataServers.size()));
            // The private listener: same TLS, same handler, but requests carry the private listener's name and flag.
            List<HttpServer> privateDataServers = settings.privateDataListen().isEmpty() ? List.of()
                    : listenData(vertx, settings.privateDataListen().get(), tls, dataPlane.forListener(DataListener.PRIVATE),
                    settings.dataProxyProtocol());
            // A private_key_jwt assertion's aud must name this token endpoint as clients reach it (actual port).
            Set<String> tokenResources = new java.util.HashSet<>(vaultAudiences.all());
            tokenResources.add(TokenService.COGNITIVE_SERVICES_AUDIENCE);
            tokenResources.add(TokenService.MANAGEMENT_AUDIENCE);
            WorkloadTokenPolicy tokenPolicy = new WorkloadTokenPolicy(tokenResources,
                    Set.of("https://" + settings.publicHost() + ":" + dataServer.actualPort() + ClientCredentialsEndpoint.PATH),
                    WorkloadTokenPolicy.MAX_ASSERTION_LIFETIME, WorkloadTokenPolicy.DEFAULT_CLOCK_SKEW);
            WorkloadTokenMinter minter = new WorkloadTokenMinter() {
                @Override
                public String mint(String identityId, String name, String audience) {
                    return tokens.issueForWorkload(identityId, name, audience);
                }

                @Override
                public java.time.Duration lifetime() {
                    return TokenService.LIFETIME;
                }
            };
            workloadTokens.install(new ClientCredentialsEndpoint(workloadIdentities, minter, tokenPolicy, Clock.systemUTC()),
                    new ManagedIdentityEndpoint(workloadIdentities, minter, tokenPolicy, Clock.systemUTC()));
            AccountEndpoints endpoints = new AccountEndpoints(settings.publicHost(), dataServer.actualPort(), settings.baseDomain());
            AccountService accountService = new AccountService(db, cipher, snapshots, Clock.systemUTC(), settings.networks(), customerKeys);
            int upgraded = accountService.upgradeStoredKeys();
            if (upgraded > 0) {
                java.util.logging.Logger.getLogger(Bulwark.class.getName()).info("re-sealed " + upgraded
                        + " account keys from the pre-keyring format into envelopes");
            }
            RbacService rbac = new RbacService(db, Clock.systemUTC(), snapshots::refresh);
            ManagementAuthenticator managementAuth = ManagementAuthenticator.chain(
                    ManagementAuthenticator.bootstrapAdmin(admin.token()),
                    ManagementAuthenticator.bearer(token -> tokens.verify(token, null, (a, s, k) -> false)),
                    OidcBearer.forManagement(oidc));
            // On the management listener the vault takes the management credentials (the CLI's admin token);
            // ids in its answers still name the data-plane vault URL, where applications reach it.
            VaultRoutes managementVault = new VaultRoutes(vertx, vaultApi, audit, metrics, "management", managementAuth::authenticate,
                    tokens.issuer(), vaultAudiences);
            String vaultUrl = vaultUrl(settings, dataServer.actualPort());
            dataVault.install(vaultUrl);
            managementVault.install(vaultUrl);
            ManagementPlane management = new ManagementPlane(vx, managementAuth,
                    (principal, scope, action) -> snapshots.current().access().permitsAction(principal, scope, action),
                    accountService, endpoints, audit, metrics, rbac, () -> snapshots.current().access(), workloadIdentities, tokens,
                    new DeploymentService(db, snapshots, Clock.systemUTC()), usage, managementVault);
            HttpServer managementServer = listen(vertx, settings.managementListen(), tls, management, false);
            // Customer-managed keys are re-checked on a timer too: an HSM key deleted outside Bulwark or a
            // vault key past its expiry sends no event. An unusable key also drops its cached data keys.
            vertx.setPeriodic(settings.customerKeyCheckSeconds() * 1000L, id -> vx.executeBlocking(snapshots::refresh, false)
                    .onFailure(e -> java.util.logging.Logger.getLogger(Bulwark.class.getName())
                            .log(java.util.logging.Level.WARNING, "customer-managed key check failed", e)));
            // Soft-deleted vault items are purged once their retention has run out (reads already treat them as gone).
            vertx.setPeriodic(3_600_000, id -> vx.executeBlocking(vaultItems::purgeExpired, false)
                    .onFailure(e -> java.util.logging.Logger.getLogger(Bulwark.class.getName())
                            .log(java.util.logging.Level.WARNING, "vault purge of expired deleted items failed", e)));
            // Retired signing keys are dropped once no token they signed can be unexpired.
            vertx.setPeriodic(60_000, id -> vx.executeBlocking(() -> {
                tokens.pruneRetiredKeys();
                return null;
            }, false));
            return new Bulwark(vertx, db, audit, dataServer, moreDataServers, privateDataServers, managementServer, tls, accountService, snapshots, admin, oidcKeys, usage,
                    fetcher, tokens.issuer());
        } catch (RuntimeException e) {
            if (vertx != null) {
                vertx.close().await();
            }
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The vault's bearer check on the data plane: a Bulwark workload token for the vault audience, else a trusted OIDC token. */
    private static dev.bulwark.identity.Principal vaultBearer(String header, TokenService tokens, OidcTokenVerifier oidc, Set<String> audiences) {
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        if (tokens.verifyWorkload(token, audiences) instanceof dev.bulwark.identity.token.TokenVerdict.Valid v) {
            return v.principal();
        }
        return oidc.verify(token) instanceof dev.bulwark.identity.oidc.OidcVerdict.Valid v ? v.principal() : null;
    }

    /** Envelopes whose outer layer is the configured service key: derived from the master key, or in the HSM. */
    private static ObjectCipher serviceCipher(KeyProviders providers, Settings settings, DataKeyCache cache) {
        return settings.serviceKeyInHsm()
                .<ObjectCipher>map(name -> new EnvelopeCipher(providers, KeySource.PKCS11, name, cache))
                .orElseGet(() -> EnvelopeCipher.withServiceKey(providers, cache));
    }

    /**
     * Whether an account's {@code keyVaultUri} names this Bulwark's vault: https on the public host,
     * or a {@code <name>.vault.<base domain>} host. The port is not compared (a proxy may change it).
     */
    static boolean isBuiltInVaultUri(String uri, Settings settings) {
        java.net.URI u;
        try {
            u = new java.net.URI(uri);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        if (!"https".equals(u.getScheme()) || u.getHost() == null || u.getRawUserInfo() != null
                || u.getRawQuery() != null || u.getRawFragment() != null) {
            return false;
        }
        String host = u.getHost().toLowerCase(java.util.Locale.ROOT);
        return host.equals(settings.publicHost().toLowerCase(java.util.Locale.ROOT))
                || settings.baseDomain().map(d -> host.endsWith(".vault." + d)).orElse(false);
    }

    /** The vault URL: the data plane's public host and actual port. What vault ids start with. */
    private static String vaultUrl(Settings settings, int port) {
        String host = settings.publicHost().contains(":") ? "[" + settings.publicHost() + "]" : settings.publicHost();
        return "https://" + host + (port == 443 ? "" : ":" + port);
    }

    /** Bulwark's token issuer: the data plane's public address (configured port) + /sts. */
    private static String issuer(Settings settings) {
        int port = settings.dataListen().port();
        String host = settings.publicHost().contains(":") ? "[" + settings.publicHost() + "]" : settings.publicHost();
        return "https://" + host + (port == 443 ? "" : ":" + port) + "/sts";
    }

    /**
     * One data server per event loop on one port. One server runs on one event loop; more servers
     * on the same port (Vert.x shares the socket and deals connections round-robin) use every core.
     * With port 0 the first server picks the port and the others join it (SO_REUSEPORT: the kernel
     * deals connections among the sockets, as nginx's reuseport does).
     */
    private static List<HttpServer> listenData(Vertx vertx, HostPort at, TlsMaterial tls, DataPlane handler, boolean proxyProtocol) {
        List<HttpServer> servers = new ArrayList<>();
        HttpServer first = listen(vertx, at, tls, handler, proxyProtocol);
        servers.add(first);
        HostPort bound = new HostPort(at.host(), first.actualPort());
        for (int i = 1; i < DATA_EVENT_LOOPS; i++) {
            HttpServer more = listen(vertx, bound, tls, handler, proxyProtocol);
            if (more.actualPort() != first.actualPort()) {
                throw new IllegalStateException("data servers on different ports: " + first.actualPort() + ", " + more.actualPort());
            }
            servers.add(more);
        }
        return servers;
    }

    /**
     * @param proxyProtocol expect a PROXY protocol v1/v2 header before anything else (before TLS):
     *                      the peer address then is the header's source. Off, such a header is not
     *                      TLS and the connection fails its handshake.
     */
    private static HttpServer listen(Vertx vertx, HostPort at, TlsMaterial tls, io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler,
                                     boolean proxyProtocol) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(at.host())
                .setPort(at.port())
                .setMaxHeaderSize(16 * 1024)
                .setMaxInitialLineLength(8 * 1024)
                .setIdleTimeout(120)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setCompressionSupported(false)
                .setReusePort(true)
                .setUseProxyProtocol(proxyProtocol)
                .setProxyProtocolTimeout(10)
                .setProxyProtocolTimeoutUnit(TimeUnit.SECONDS);
        // Same header budget on HTTP/2 as on HTTP/1.1, so an oversized token is refused by the
        // authentication stage (401, audited) rather than by the codec.
        options.getInitialSettings().setMaxHeaderListSize(16 * 1024);
        TlsPolicy.apply(options, tls);
        java.util.concurrent.atomic.AtomicReference<HttpServer> created = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            // Listening from inside a deployment binds the server to that deployment's own event loop;
            // from the main thread every server would share one.
            vertx.deployVerticle(new io.vertx.core.VerticleBase() {
                @Override
                public io.vertx.core.Future<?> start() {
                    HttpServer server = vertx.createHttpServer(options)
                            .requestHandler(handler)
                            .invalidRequestHandler(new InvalidRequests())
                            // Failed connections (plain HTTP, bad handshakes) are routine on a public port. The
                            // JDK engine's message for plain HTTP quotes the bytes sent, keys and tokens
                            // included, so only TlsFailures' description is logged, and only at FINE.
                            .exceptionHandler(failure -> CONNECTION_LOG.fine(() -> at + ": " + TlsFailures.loggable(failure)));
                    created.set(server);
                    return server.listen();
                }
            }).await();
            return created.get();
        } catch (Exception e) {
            throw new ConfigException("cannot listen on " + at + ": " + e.getMessage(), e);
        }
    }

    private static void prepareHome(Path home) {
        try {
            if (!Files.exists(home)) {
                Files.createDirectories(home);
                SecureFiles.restrictDirectory(home);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot create BULWARK_HOME " + home + ": " + e.getMessage(), e);
        }
    }

    public int dataPort() {
        return dataServer.actualPort();
    }

    /** The private data listener's port; -1 without one. */
    public int privateDataPort() {
        return privateDataServers.isEmpty() ? -1 : privateDataServers.get(0).actualPort();
    }

    /** Bulwark's token issuer (what the vault's challenge names as the authority). */
    public String issuerForTests() {
        return issuer;
    }

    public int managementPort() {
        return managementServer.actualPort();
    }

    public TlsMaterial tls() {
        return tls;
    }

    public AccountService accounts() {
        return accounts;
    }

    /** What the data plane currently reads (accounts, keys, access, deployments). */
    public SnapshotHolder snapshots() {
        return snapshots;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Where the OpenAI proxy counts each completed call (safe on the event loop). */
    public UsageRecorder usage() {
        return usage.recorder();
    }

    /** The generated admin token, present only on the run that generated it. */
    public Optional<String> generatedAdminToken() {
        return adminBootstrap.generatedToken();
    }

    /** Prints where Bulwark listens and how to trust and reach it. Never prints a secret except a freshly generated admin token, once. */
    public void printBanner(Settings settings, PrintStream out) {
        out.println("Bulwark is running.");
        out.println("  data plane:       https://" + display(settings.dataListen(), dataPort()));
        settings.privateDataListen().ifPresent(p -> out.println("  private data:     https://" + display(p, privateDataPort())));
        out.println("  management plane: https://" + display(settings.managementListen(), managementPort()));
        out.println("  TLS engine:       " + TlsPolicy.engineName() + " (TLS 1.2, 1.3)");
        out.println("  certificate:      " + (tls.generated() ? "self-signed, " + settings.home().resolve("tls") : "from configured PEM files"));
        out.println("  SHA-256:          " + tls.sha256Fingerprint());
        out.println("  state:            " + settings.home());
        adminBootstrap.generatedToken().ifPresent(t -> {
            out.println();
            out.println("  Admin token (shown once; also in " + adminBootstrap.tokenFile().orElseThrow() + ", mode 0600):");
            out.println("    " + t);
        });
        out.flush();
    }

    private static String display(HostPort hp, int port) {
        return (hp.host().contains(":") ? "[" + hp.host() + "]" : hp.host()) + ":" + port;
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        try {
            managementServer.close().await();
            for (HttpServer s : privateDataServers) {
                s.close().await();
            }
            for (HttpServer s : moreDataServers) {
                s.close().await();
            }
            dataServer.close().await();
            fetcher.close(); // no request is left to fetch for
            vertx.close().await();
        } finally {
            try {
                oidcKeys.close();
                usage.close(); // last flush: the listeners are closed, so no call is counted after it
                audit.close();
            } finally {
                db.close();
                stopped.countDown();
            }
        }
    }
}
