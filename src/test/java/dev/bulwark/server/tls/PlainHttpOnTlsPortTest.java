package dev.bulwark.server.tls;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing is ever served over plain HTTP. Netty's SslHandler sees a first record that is not TLS, raises
 * NotSslRecordException and fails the handshake; the connection is closed. The client must see no HTTP answer
 * (no redirect either: a redirect would be an HTTP response on a TLS port) and an end of stream, not a hang.
 */
class PlainHttpOnTlsPortTest {
    @TempDir
    static Path home;

    private static Vertx vertx;
    private static TlsMaterial material;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
        material = TlsMaterial.loadOrGenerate(home, null, null, List.of());
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void plainHttpRequestGetsTheConnectionClosedWithoutAnHttpResponse(TlsEngine engine) throws Exception {
        Engines.requireAvailable(engine);
        try (TlsTestServer server = TlsTestServer.start(vertx, material, engine, 0);
             Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            // Long enough that a server waiting for more bytes would be caught by the timeout, not by this test passing.
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer not-a-real-token\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            Received received = readUntilClosed(socket.getInputStream());

            assertThat(received.timedOut()).as("server left the connection open").isFalse();
            assertThat(new String(received.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/");
            assertThat(received.bytes()).as("bytes before close: %s", received.hex()).satisfiesAnyOf(
                    bytes -> assertThat(bytes).isEmpty(),
                    // At most a TLS alert record (content type 21), which no HTTP client mistakes for an answer.
                    bytes -> assertThat(bytes[0]).isEqualTo((byte) 21));
        }
    }

    private record Received(byte[] bytes, boolean timedOut) {
        String hex() {
            return java.util.HexFormat.of().formatHex(bytes);
        }
    }

    private static Received readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return new Received(bytes.toByteArray(), true);
        } catch (SocketException reset) {
            // A reset is as good as an end of stream: the connection is gone without an answer.
            return new Received(bytes.toByteArray(), false);
        }
        return new Received(bytes.toByteArray(), false);
    }
}
