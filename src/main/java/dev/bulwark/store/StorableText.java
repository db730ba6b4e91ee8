package dev.bulwark.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Whether text can be stored and read back unchanged. The database keeps text as UTF-8, which has
 * no encoding for a lone UTF-16 surrogate (JSON allows one as {@code "\ud800"}): it would be
 * written as '?' and read back different. Request bodies are checked with this before anything is
 * stored, so such input is refused instead of silently changed.
 */
public final class StorableText {
    private StorableText() {
    }

    /** Whether every surrogate in {@code s} is half of a pair. */
    public static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Whether every string and field name in the tree is well formed (iterative: a deep tree cannot overflow the stack). */
    public static boolean wellFormed(JsonNode root) {
        java.util.ArrayDeque<JsonNode> pending = new java.util.ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode n = pending.pop();
            if (n.isTextual() && !wellFormed(n.textValue())) {
                return false;
            }
            if (n.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!wellFormed(e.getKey())) {
                        return false;
                    }
                    pending.push(e.getValue());
                }
            } else if (n.isArray()) {
                n.forEach(pending::push);
            }
        }
        return true;
    }
}
