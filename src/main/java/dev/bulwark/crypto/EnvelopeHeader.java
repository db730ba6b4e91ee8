package dev.bulwark.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The envelope header: which keys wrap the object's data keys, and the wrapped keys. Layout
 * (docs/encryption.md has the table):
 *
 * <pre>
 * "BWE" | version 0x01 | layer count (1 or 2)
 * per layer, outer first: u8 len + key source wire id | u8 len + key name | u8 len + key version
 *                         | u16 len (big-endian) + wrapped data key
 * then the body: 12-byte nonce | ciphertext | 16-byte tag
 * </pre>
 *
 * The parser is strict: every length is checked against what is left before anything is read, and
 * any malformed, truncated or oversized header is a {@link CryptoException}, nothing else.
 */
record EnvelopeHeader(List<Layer> layers, int length) {
    static final byte[] MAGIC = {'B', 'W', 'E'};
    static final byte VERSION = 1;
    static final int MAX_LAYERS = 2;
    /** Generous for an RSA-4096 wrap from an HSM (512 bytes); far below anything worth abusing. */
    static final int MAX_WRAPPED_KEY = 4096;

    /** Layer 0 is the outer (service) layer, layer 1 the inner (customer-managed key) layer. */
    record Layer(KeyReference key, byte[] wrappedKey) {
    }

    EnvelopeHeader {
        layers = List.copyOf(layers);
    }

    static EnvelopeHeader of(List<Layer> layers) {
        return new EnvelopeHeader(layers, encode(layers).length);
    }

    static EnvelopeHeader parse(byte[] envelope) {
        if (envelope == null) {
            throw fail();
        }
        Reader r = new Reader(envelope);
        for (byte m : MAGIC) {
            if (r.u8() != (m & 0xff)) {
                throw fail();
            }
        }
        if (r.u8() != VERSION) {
            throw fail();
        }
        int count = r.u8();
        if (count < 1 || count > MAX_LAYERS) {
            throw fail();
        }
        List<Layer> layers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            KeySource source = KeySource.fromWireId(r.ascii(r.u8()));
            String name = r.ascii(r.u8());
            String version = r.ascii(r.u8());
            int wrappedLength = r.u16();
            if (wrappedLength == 0 || wrappedLength > MAX_WRAPPED_KEY) {
                throw fail();
            }
            byte[] wrapped = r.bytes(wrappedLength);
            KeyReference ref;
            try {
                ref = new KeyReference(source, name, version);
            } catch (IllegalArgumentException e) {
                throw fail();
            }
            if (!allowedAt(i, source)) {
                throw fail();
            }
            layers.add(new Layer(ref, wrapped));
        }
        if (envelope.length - r.pos < Aes256Gcm.OVERHEAD) {
            throw fail();
        }
        return new EnvelopeHeader(layers, r.pos);
    }

    /** The outer layer is the service root (built in or in an HSM); the inner one a customer key. */
    static boolean allowedAt(int index, KeySource source) {
        return index == 0
                ? source == KeySource.SERVICE || source == KeySource.PKCS11
                : source == KeySource.VAULT || source == KeySource.PKCS11;
    }

    byte[] encode() {
        return encode(layers);
    }

    /**
     * What the data encryption authenticates of the header: magic, version, layer count and each
     * layer's key source and name. Not the key versions and wrapped keys: re-wrapping changes those
     * without touching the data, and each wrapped key is authenticated by its own wrap.
     */
    byte[] dataBinding() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.writeBytes(MAGIC);
        out.write(VERSION);
        out.write(layers.size());
        for (Layer l : layers) {
            writeShort(out, l.key().source().wireId());
            writeShort(out, l.key().name());
        }
        return out.toByteArray();
    }

    private static byte[] encode(List<Layer> layers) {
        if (layers.isEmpty() || layers.size() > MAX_LAYERS) {
            throw new IllegalArgumentException("an envelope has 1 or 2 layers");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(MAGIC);
        out.write(VERSION);
        out.write(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (!allowedAt(i, l.key().source())) {
                throw new IllegalArgumentException("key source " + l.key().source().wireId() + " cannot wrap layer " + i);
            }
            byte[] w = l.wrappedKey();
            if (w.length == 0 || w.length > MAX_WRAPPED_KEY) {
                throw new IllegalArgumentException("wrapped key of " + w.length + " bytes for " + l.key());
            }
            writeShort(out, l.key().source().wireId());
            writeShort(out, l.key().name());
            writeShort(out, l.key().version());
            out.write(w.length >>> 8);
            out.write(w.length);
            out.writeBytes(w);
        }
        return out.toByteArray();
    }

    /** KeyReference limits names and versions to 127 ASCII characters, so one length byte fits. */
    private static void writeShort(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.write(b.length);
        out.writeBytes(b);
    }

    private static CryptoException fail() {
        return new CryptoException("cannot decrypt");
    }

    /** Reads forward, refusing to read past the end: no length from the input is trusted. */
    private static final class Reader {
        final byte[] in;
        int pos;

        Reader(byte[] in) {
            this.in = in;
        }

        int u8() {
            need(1);
            return in[pos++] & 0xff;
        }

        int u16() {
            need(2);
            int v = ((in[pos] & 0xff) << 8) | (in[pos + 1] & 0xff);
            pos += 2;
            return v;
        }

        byte[] bytes(int n) {
            need(n);
            byte[] b = new byte[n];
            System.arraycopy(in, pos, b, 0, n);
            pos += n;
            return b;
        }

        /** Latin-1 never fails to decode; KeyReference then rejects anything outside its ASCII set. */
        String ascii(int n) {
            need(n);
            String s = new String(in, pos, n, StandardCharsets.ISO_8859_1);
            pos += n;
            return s;
        }

        private void need(int n) {
            if (n < 0 || in.length - pos < n) {
                throw fail();
            }
        }
    }
}
