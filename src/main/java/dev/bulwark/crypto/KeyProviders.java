package dev.bulwark.crypto;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The key providers Bulwark runs with, one per {@link KeySource}; built once at startup and never
 * changed. A source with no provider is refused (an envelope naming it does not open).
 */
public final class KeyProviders {
    private final Map<KeySource, KeyProvider> bySource;

    private KeyProviders(Map<KeySource, KeyProvider> bySource) {
        this.bySource = Map.copyOf(bySource);
    }

    /** @throws IllegalArgumentException when two providers claim the same source */
    public static KeyProviders of(KeyProvider... providers) {
        Map<KeySource, KeyProvider> map = new EnumMap<>(KeySource.class);
        for (KeyProvider p : providers) {
            KeySource source = p.source();
            if (source == null) {
                throw new IllegalArgumentException("key provider " + p + " names no key source");
            }
            if (map.putIfAbsent(source, p) != null) {
                throw new IllegalArgumentException("two key providers for key source " + source.wireId());
            }
        }
        return new KeyProviders(map);
    }

    /** @throws CryptoException when no provider serves {@code source} (fail closed) */
    public KeyProvider require(KeySource source) {
        KeyProvider p = source == null ? null : bySource.get(source);
        if (p == null) {
            throw new CryptoException("cannot decrypt: no key provider for key source " + (source == null ? "none" : source.wireId()));
        }
        return p;
    }

    public boolean has(KeySource source) {
        return bySource.containsKey(source);
    }

    public Set<KeySource> sources() {
        return bySource.keySet();
    }

    @Override
    public String toString() {
        return "KeyProviders" + bySource.keySet();
    }
}
