package dev.bulwark.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One in-memory TLS handshake between a BoringSSL server engine and a JDK client engine, before BoringSSL is
 * trusted with a listener.
 *
 * <p>Why: "the native library loaded" is not "it works". A netty-tcnative that does not match the Netty version
 * loads fine and then fails every handshake at its last step (NoSuchMethodError in handshakeFinished, seen
 * with Netty 4.2.17 and tcnative 2.0.74); Vert.x reports that only at trace level, so the listener would
 * silently drop every connection. A ~50 ms check at startup turns that into a logged fallback to the JDK engine.
 */
final class OpenSslSelfTest {
    private static final int MAX_ROUNDS = 50;

    private OpenSslSelfTest() {
    }

    /** Empty when a handshake completed; otherwise what broke it. */
    static Optional<Throwable> handshakeFailure() {
        SslContext server = null;
        SslContext client = null;
        SSLEngine serverEngine = null;
        SSLEngine clientEngine = null;
        try {
            SelfSignedCertificate.Issued issued = SelfSignedCertificate.issue(List.of("localhost"), Instant.now());
            server = SslContextBuilder.forServer(issued.privateKey(), issued.certificate())
                    .sslProvider(SslProvider.OPENSSL).protocols(TlsPolicy.PROTOCOLS).ciphers(TlsPolicy.CIPHER_SUITES)
                    .build();
            client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(issued.certificate())
                    .protocols(TlsPolicy.PROTOCOLS).build();
            serverEngine = server.newEngine(ByteBufAllocator.DEFAULT);
            clientEngine = client.newEngine(ByteBufAllocator.DEFAULT, "localhost", 443);
            return handshake(clientEngine, serverEngine);
        } catch (Exception | LinkageError e) {
            // LinkageError is the point: a mismatched native library shows up as NoSuchMethodError or UnsatisfiedLinkError.
            return Optional.of(e);
        } finally {
            ReferenceCountUtil.release(serverEngine);
            ReferenceCountUtil.release(clientEngine);
            ReferenceCountUtil.release(server);
            ReferenceCountUtil.release(client);
        }
    }

    private static Optional<Throwable> handshake(SSLEngine client, SSLEngine server) throws SSLException {
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize()) * 4;
        ByteBuffer clientToServer = ByteBuffer.allocate(size);
        ByteBuffer serverToClient = ByteBuffer.allocate(size);
        client.beginHandshake();
        server.beginHandshake();
        boolean clientDone = false;
        boolean serverDone = false;
        for (int round = 0; round < MAX_ROUNDS && !(clientDone && serverDone); round++) {
            clientDone |= step(client, serverToClient, clientToServer);
            serverDone |= step(server, clientToServer, serverToClient);
        }
        return clientDone && serverDone ? Optional.empty()
                : Optional.of(new SSLException("handshake did not complete in " + MAX_ROUNDS + " rounds"));
    }

    /** Writes what the engine has to send, reads what it was sent; true once its handshake has finished. */
    private static boolean step(SSLEngine engine, ByteBuffer inbound, ByteBuffer outbound) throws SSLException {
        ByteBuffer application = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        boolean finished = false;
        SSLEngineResult wrapped = engine.wrap(ByteBuffer.allocate(0), outbound);
        finished |= wrapped.getHandshakeStatus() == HandshakeStatus.FINISHED;
        runTasks(engine);
        inbound.flip();
        SSLEngineResult unwrapped = engine.unwrap(inbound, application);
        inbound.compact();
        finished |= unwrapped.getHandshakeStatus() == HandshakeStatus.FINISHED;
        runTasks(engine);
        return finished;
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }
}
