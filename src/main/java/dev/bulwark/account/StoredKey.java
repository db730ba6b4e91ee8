package dev.bulwark.account;

/** One account key as it exists at rest: a keyed digest for lookup and a ciphertext for listKeys. */
public record StoredKey(String account, KeyName name, byte[] digest, byte[] ciphertext) {
}
