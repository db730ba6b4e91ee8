package dev.bulwark.server;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 POST to a test Bulwark's data plane over a socket bound to a chosen loopback source
 * address (127.0.0.2, 127.0.0.3, ... are all local on Linux), optionally preceded by raw bytes
 * before the TLS handshake (a PROXY protocol header). Java's HttpClient can do neither.
 */
public final class RawTlsCall {
    public record Answer(int status, String body) {
    }

    private RawTlsCall() {
    }

    /**
     * @param beforeTls bytes written on the plain socket before the handshake, or null
     * @param headers   extra header name/value pairs
     */
    public static Answer post(TestBulwark bulwark, String source, byte[] beforeTls, String path, String contentType,
                              String key, String body, String... headers) throws Exception {
        return post(bulwark, bulwark.bulwark().dataPort(), source, beforeTls, path, contentType, key, body, headers);
    }

    /** The same, to a chosen data port (the private data listener's, say). */
    public static Answer post(TestBulwark bulwark, int port, String source, byte[] beforeTls, String path, String contentType,
                              String key, String body, String... headers) throws Exception {
        return post(bulwark, "127.0.0.1", port, source, beforeTls, path, contentType, key, body, headers);
    }

    /** The same, to a chosen listener address ({@code ::1}, say) and port. */
    public static Answer post(TestBulwark bulwark, String destination, int port, String source, byte[] beforeTls, String path,
                              String contentType, String key, String body, String... headers) throws Exception {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(source, 0));
        plain.connect(new InetSocketAddress(destination, port), 5_000);
        plain.setSoTimeout(10_000);
        if (beforeTls != null) {
            plain.getOutputStream().write(beforeTls);
            plain.getOutputStream().flush();
        }
        SSLSocketFactory factory = bulwark.sslContext().getSocketFactory();
        try (SSLSocket socket = (SSLSocket) factory.createSocket(plain, "localhost", port, true)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder req = new StringBuilder("POST " + path + " HTTP/1.1\r\n")
                    .append("Host: localhost\r\nConnection: close\r\nContent-Type: ").append(contentType).append("\r\n")
                    .append("Ocp-Apim-Subscription-Key: ").append(key).append("\r\n")
                    .append("Content-Length: ").append(bytes.length).append("\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(text.substring(9, 12)), split < 0 ? "" : text.substring(split + 4));
        }
    }
}
