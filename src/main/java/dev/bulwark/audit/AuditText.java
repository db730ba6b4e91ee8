package dev.bulwark.audit;

/**
 * Makes a string storable byte-for-byte. Audit fields often come from untrusted input (a token's
 * subject, a client's request id); an unpaired UTF-16 surrogate in them has no UTF-8 form, so SQLite
 * would store something else than what was hashed and the record would later fail verification as if
 * tampered with. Replacing it with U+FFFD up front keeps hashed and stored text identical, and never
 * throws on the event loop because of what a client sent.
 */
final class AuditText {

    private AuditText() {
    }

    static String clean(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length()).append(s, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
