package dev.bulwark.service.openai;

import dev.bulwark.testing.MutableClock;
import dev.bulwark.server.TestBulwark;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;

/**
 * A Bulwark and a fake model server, with an OpenAI account and a deployment pointing at the fake:
 * the setting of every OpenAI end-to-end test.
 */
final class OpenAiFixture implements AutoCloseable {
    static final String ACCOUNT = "acct";
    static final String DEPLOYMENT = "chat";
    static final String UPSTREAM_MODEL = "fake-llama-3";
    static final String UPSTREAM_SECRET = "sk-upstream-0123456789";

    final TestBulwark bulwark;
    final FakeModelServer upstream;
    final MutableClock clock = MutableClock.atNow();
    final Path credentialFile;
    final String key1;
    final String key2;

    OpenAiFixture(Path home) throws IOException {
        this(home, Map.of());
    }

    /** @param extraEnv settings for this Bulwark, e.g. the fetcher's allow-list */
    OpenAiFixture(Path home, Map<String, String> extraEnv) throws IOException {
        upstream = FakeModelServer.start();
        bulwark = new TestBulwark(home, extraEnv, clock);
        // Outside Bulwark's home: a deployment may not name a file in Bulwark's own state directory.
        Path secrets = Files.createTempDirectory("bulwark-upstream-secret");
        credentialFile = secrets.resolve("upstream.secret");
        Files.writeString(credentialFile, UPSTREAM_SECRET + "\n");
        String[] keys = bulwark.createAccount(ACCOUNT, "OpenAI");
        key1 = keys[0];
        key2 = keys[1];
        deploy(DEPLOYMENT, upstream.baseUrl(), 0, 0, 5);
    }

    /** Creates or replaces a deployment of the test account. */
    void deploy(String name, String upstreamUrl, int rpm, int tpm, int timeoutSeconds) {
        String limits = rpm == 0 && tpm == 0 ? "" : ",\"rateLimits\":[{\"key\":\"request\",\"renewalPeriod\":60,\"count\":" + rpm
                + "},{\"key\":\"token\",\"renewalPeriod\":60,\"count\":" + tpm + "}]";
        TestBulwark.Response r = bulwark.management("PUT", "/accounts/" + ACCOUNT + "/deployments/" + name,
                "{\"sku\":{\"name\":\"Standard\"},\"properties\":{\"model\":{\"format\":\"OpenAI\",\"name\":\"" + UPSTREAM_MODEL + "\"},"
                        + "\"upstream\":{\"baseUrl\":\"" + upstreamUrl + "\",\"credential\":\"file:" + credentialFile + "\","
                        + "\"connectTimeoutSeconds\":2,\"timeoutSeconds\":" + timeoutSeconds + "}" + limits + "}}");
        if (r.status() != 200 && r.status() != 201) {
            throw new AssertionError("deployment failed: " + r.status() + " " + r.body());
        }
    }

    /** The account's endpoint as an Azure OpenAI client is given it (no trailing slash). */
    String endpoint() {
        return bulwark.dataUrl() + "/accounts/" + ACCOUNT;
    }

    X509TrustManager trustManager() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("bulwark", bulwark.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        bulwark.close();
        upstream.close();
        try {
            Files.deleteIfExists(credentialFile);
            Files.deleteIfExists(credentialFile.getParent());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
