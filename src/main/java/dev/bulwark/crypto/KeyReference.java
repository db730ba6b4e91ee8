package dev.bulwark.crypto;

import java.util.regex.Pattern;

/**
 * One version of one key-encryption key: enough to find it again when an envelope is opened. Names
 * and versions are restricted to a safe alphabet so they can be written into headers unambiguously.
 */
public record KeyReference(KeySource source, String name, String version) {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,126}");

    public KeyReference {
        if (source == null || name == null || version == null || !SAFE.matcher(name).matches() || !SAFE.matcher(version).matches()) {
            throw new IllegalArgumentException("key reference needs a source, and a name and version of 1-127 letters, digits, '.', '_' or '-'");
        }
    }

    @Override
    public String toString() {
        return source.wireId() + ":" + name + "/" + version;
    }
}
