package dev.bulwark.server.tls;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.List;

/**
 * A hand-built TLS ClientHello, for offers the JDK client will not make: it refuses to send TLS 1.0/1.1 or
 * TLS_RSA_* suites at all (jdk.tls.disabledAlgorithms), and loosening that security property would leak into
 * every other test in the JVM. Writing the bytes ourselves tests the server alone, with no global state.
 */
final class RawClientHello {
    static final int TLS_1_0 = 0x0301;
    static final int TLS_1_1 = 0x0302;
    static final int TLS_1_2 = 0x0303;

    // Suite code points (IANA).
    static final int ECDHE_ECDSA_AES_128_GCM_SHA256 = 0xC02B;
    static final int ECDHE_RSA_AES_128_GCM_SHA256 = 0xC02F;
    static final int ECDHE_ECDSA_AES_128_CBC_SHA = 0xC009;
    static final int ECDHE_RSA_AES_128_CBC_SHA = 0xC013;
    static final int ECDHE_ECDSA_AES_128_CBC_SHA256 = 0xC023;
    static final int ECDHE_RSA_AES_128_CBC_SHA256 = 0xC027;
    static final int RSA_AES_128_GCM_SHA256 = 0x009C;
    static final int RSA_AES_256_GCM_SHA384 = 0x009D;
    static final int RSA_AES_128_CBC_SHA = 0x002F;
    static final int DHE_RSA_AES_128_GCM_SHA256 = 0x009E;

    // Named group code points (IANA).
    static final int X25519 = 0x001d;
    static final int SECP256R1 = 0x0017;
    static final int SECP384R1 = 0x0018;
    static final int SECP521R1 = 0x0019;
    static final int X448 = 0x001e;
    static final int FFDHE2048 = 0x0100;
    static final List<Integer> POLICY_GROUPS = List.of(X25519, SECP256R1, SECP384R1);

    static final int ALERT_HANDSHAKE_FAILURE = 40;
    static final int ALERT_PROTOCOL_VERSION = 70;
    static final int ALERT_INSUFFICIENT_SECURITY = 71;

    /** What came back: a ServerHello means the server accepted the offer. */
    record Reply(Kind kind, int alertDescription) {
        enum Kind { SERVER_HELLO, ALERT, CLOSED, OTHER }

        boolean accepted() {
            return kind == Kind.SERVER_HELLO;
        }
    }

    private RawClientHello() {
    }

    /** Sends a ClientHello with this version and these suites (and nothing newer) and reads the first reply record. */
    static Reply offer(int port, int version, List<Integer> suites) throws IOException {
        return offer(port, version, suites, POLICY_GROUPS);
    }

    /** As {@link #offer(int, int, List)}, naming only these groups in supported_groups. */
    static Reply offer(int port, int version, List<Integer> suites, List<Integer> groups) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(record(version, clientHello(version, suites, groups)));
            socket.getOutputStream().flush();
            return readReply(socket.getInputStream());
        }
    }

    private static Reply readReply(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        int type;
        try {
            type = in.read();
        } catch (SocketException reset) {
            return new Reply(Reply.Kind.CLOSED, -1);
        }
        if (type < 0) {
            return new Reply(Reply.Kind.CLOSED, -1);
        }
        try {
            in.readUnsignedShort(); // record version
            int length = in.readUnsignedShort();
            byte[] body = in.readNBytes(length);
            if (type == 21 && body.length >= 2) {
                return new Reply(Reply.Kind.ALERT, body[1] & 0xff);
            }
            if (type == 22 && body.length >= 1 && body[0] == 2) {
                return new Reply(Reply.Kind.SERVER_HELLO, -1);
            }
            return new Reply(Reply.Kind.OTHER, type);
        } catch (EOFException | SocketException e) {
            return new Reply(Reply.Kind.CLOSED, -1);
        }
    }

    private static byte[] record(int version, byte[] handshake) {
        // The record layer says TLS 1.0 for a first flight, as real clients do; the ClientHello says the rest.
        Bytes out = new Bytes();
        out.u8(22).u16(Math.min(version, TLS_1_0)).u16(handshake.length).raw(handshake);
        return out.toByteArray();
    }

    private static byte[] clientHello(int version, List<Integer> suites, List<Integer> groups) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Bytes body = new Bytes();
        body.u16(version).raw(random).u8(0); // no session id
        body.u16(suites.size() * 2);
        suites.forEach(body::u16);
        body.u8(1).u8(0); // compression: null only
        byte[] extensions = extensions(groups);
        body.u16(extensions.length).raw(extensions);
        byte[] bytes = body.toByteArray();
        Bytes handshake = new Bytes();
        handshake.u8(1).u24(bytes.length).raw(bytes);
        return handshake.toByteArray();
    }

    /** What ECDHE suites need to be selectable: groups, point formats, signature algorithms, secure renegotiation. */
    private static byte[] extensions(List<Integer> groups) {
        Bytes out = new Bytes();
        out.u16(0x000a).u16(2 + groups.size() * 2).u16(groups.size() * 2);
        groups.forEach(out::u16);
        out.u16(0x000b).u16(2).u8(1).u8(0); // ec_point_formats: uncompressed
        int[] signatures = {0x0403, 0x0503, 0x0804, 0x0805, 0x0401, 0x0501}; // ecdsa, rsa_pss_rsae, rsa_pkcs1 (SHA-2)
        out.u16(0x000d).u16(2 + signatures.length * 2).u16(signatures.length * 2);
        for (int signature : signatures) {
            out.u16(signature);
        }
        out.u16(0xff01).u16(1).u8(0); // renegotiation_info, empty
        return out.toByteArray();
    }

    private static final class Bytes extends ByteArrayOutputStream {
        Bytes u8(int value) {
            write(value);
            return this;
        }

        Bytes u16(int value) {
            return u8(value >>> 8).u8(value & 0xff);
        }

        Bytes u24(int value) {
            return u8(value >>> 16).u16(value & 0xffff);
        }

        Bytes raw(byte[] bytes) {
            write(bytes, 0, bytes.length);
            return this;
        }
    }
}
