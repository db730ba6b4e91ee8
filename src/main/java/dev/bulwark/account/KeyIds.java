package dev.bulwark.account;

import java.util.Base64;

/**
 * A key's public id: the first 9 bytes of its keyed digest, base64url (12 characters). Safe to put
 * in tokens and logs: it reveals nothing about the key without the master key, yet changes whenever
 * the key is regenerated.
 */
public final class KeyIds {
    private KeyIds() {
    }

    public static String fromDigest(byte[] digest) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 9));
    }
}
