package dev.bulwark.server.tls;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A real Vert.x HTTPS server on 127.0.0.1 and an ephemeral port, configured only through {@link TlsPolicy}. */
final class TlsTestServer implements AutoCloseable {
    private final HttpServer server;

    private TlsTestServer(HttpServer server) {
        this.server = server;
    }

    static TlsTestServer start(Vertx vertx, TlsMaterial material, TlsEngine engine, int port) throws Exception {
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port);
        TlsPolicy.apply(options, material, engine);
        HttpServer server = vertx.createHttpServer(options).requestHandler(request -> request.response()
                .putHeader("Strict-Transport-Security", TlsPolicy.STRICT_TRANSPORT_SECURITY)
                .putHeader("Content-Type", "text/plain")
                .end("ok " + request.version() + "\n"));
        server.listen().await(10, TimeUnit.SECONDS);
        return new TlsTestServer(server);
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() throws TimeoutException {
        server.close().await(10, TimeUnit.SECONDS);
    }
}
