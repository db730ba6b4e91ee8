package dev.bulwark.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a stored object is: its account (empty for objects of no account), its kind and its id. It
 * is bound into every envelope as associated data, so a ciphertext moved to another object, kind
 * or account does not decrypt.
 */
public record ObjectIdentity(String account, String kind, String id) {
    public ObjectIdentity {
        if (account == null || kind == null || kind.isEmpty() || id == null || id.isEmpty()) {
            throw new IllegalArgumentException("object identity needs an account (may be empty), a kind and an id");
        }
    }

    /** Length-prefixed, so ("a|b","c") and ("a","b|c") never produce the same bytes. */
    public byte[] associatedData() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : new String[] {account, kind, id}) {
            byte[] b = part.getBytes(StandardCharsets.UTF_8);
            out.write(b.length >>> 24);
            out.write(b.length >>> 16);
            out.write(b.length >>> 8);
            out.write(b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
