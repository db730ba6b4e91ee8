package dev.bulwark.server.tls;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A JDK SSLSocket client that trusts exactly one certificate and verifies the host name as HTTPS does, with
 * protocols, suites, groups and ALPN chosen per call. Its SSLContext is private to it: nothing global changes.
 */
final class JdkTlsClient {
    private final SSLContext context;

    JdkTlsClient(X509Certificate trusted) throws Exception {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("server", trusted);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
    }

    /** A handshaken socket, or the SSLException the handshake ended with. Null lists keep the JDK's defaults. */
    SSLSocket handshake(int port, String hostName, List<String> protocols, List<String> suites, List<String> groups,
                        List<String> alpn) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, hostName, port, true);
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!Character.isDigit(hostName.charAt(0)) && !hostName.contains(":")) {
            parameters.setServerNames(List.of(new SNIHostName(hostName)));
        }
        if (protocols != null) {
            parameters.setProtocols(protocols.toArray(String[]::new));
        }
        if (suites != null) {
            parameters.setCipherSuites(suites.toArray(String[]::new));
        }
        if (groups != null) {
            parameters.setNamedGroups(groups.toArray(String[]::new));
        }
        if (alpn != null) {
            parameters.setApplicationProtocols(alpn.toArray(String[]::new));
        }
        socket.setSSLParameters(parameters);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    SSLSocket handshake(int port, List<String> protocols, List<String> suites) throws IOException {
        return handshake(port, "localhost", protocols, suites, null, null);
    }

    /** One HTTP/1.1 GET over the socket; returns the whole response as text. */
    static String get(SSLSocket socket) throws IOException {
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
}
