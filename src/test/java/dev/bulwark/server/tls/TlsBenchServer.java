package dev.bulwark.server.tls;

import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A stand-alone HTTPS server configured only by {@link TlsPolicy}, for bench/testssl.sh to scan. It answers every
 * request with 200 and the HSTS header Bulwark sends, and runs until the process is stopped.
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) dev.bulwark.server.tls.TlsBenchServer 8443 openssl /tmp/bulwark-bench
 * </pre>
 */
final class TlsBenchServer {
    private TlsBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8443;
        TlsEngine engine = args.length > 1 ? TlsEngine.valueOf(args[1].toUpperCase(Locale.ROOT)) : TlsEngine.preferred();
        Path home = Path.of(args.length > 2 ? args[2] : System.getProperty("java.io.tmpdir") + "/bulwark-bench");

        TlsMaterial material = TlsMaterial.loadOrGenerate(home, null, null, List.of());
        Vertx vertx = Vertx.vertx();
        TlsTestServer server = TlsTestServer.start(vertx, material, engine, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.printf("listening on https://127.0.0.1:%d engine=%s fingerprint=%s%n",
                server.port(), engine.displayName(), material.sha256Fingerprint());
    }
}
