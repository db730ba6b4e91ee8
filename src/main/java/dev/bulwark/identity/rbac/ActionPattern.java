package dev.bulwark.identity.rbac;

/**
 * One entry of a role's {@code actions}, {@code notActions}, {@code dataActions} or
 * {@code notDataActions}, compiled for matching. As in Azure: matching ignores case, and {@code *}
 * stands for any run of characters, {@code /} included, anywhere in the pattern
 * ({@code Microsoft.CognitiveServices/*}, {@code *}/read, {@code .../OpenAI/*}/read).
 *
 * <p>Hot path: {@link #matches} runs for every request's authorisation. It allocates nothing:
 * the pattern is lower-cased and cut at its wildcards once, here; the candidate is folded
 * character by character (ASCII only, which is all an action name may contain). A pattern with
 * wildcards matches iff the candidate starts with the part before the first {@code *}, ends with
 * the part after the last, and holds the parts in between in order, each found at its leftmost
 * place (leftmost is always safe: it leaves the most room for the rest).
 */
final class ActionPattern {
    static final int MAX_LENGTH = 256;

    private final String source;
    /** Lower-cased literal runs between wildcards; null for a pattern without any. */
    private final String[] parts;
    private final String exact;
    private final int minLength;

    private ActionPattern(String source) {
        this.source = source;
        String lower = toLowerAscii(source);
        if (lower.indexOf('*') < 0) {
            this.parts = null;
            this.exact = lower;
            this.minLength = lower.length();
        } else {
            this.parts = lower.split("\\*", -1);
            this.exact = null;
            int n = 0;
            for (String part : parts) {
                n += part.length();
            }
            this.minLength = n;
        }
    }

    static ActionPattern compile(String pattern) {
        return new ActionPattern(validate(pattern, "action"));
    }

    /**
     * An action pattern as a role may state it: 1-{@value #MAX_LENGTH} characters of letters,
     * digits, {@code . _ - : *} and {@code /}, no empty segment. A 400 otherwise.
     */
    static String validate(String pattern, String field) {
        if (pattern == null || pattern.isEmpty() || pattern.length() > MAX_LENGTH) {
            throw RbacException.invalid("InvalidActionOrNotAction",
                    "each entry of " + field + " must be 1-" + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == ':' || c == '*' || c == '/';
            if (!ok) {
                throw RbacException.invalid("InvalidActionOrNotAction", "the " + field + " entry '" + Scope.printable(pattern)
                        + "' contains '" + (c < 0x20 || c == 0x7f ? "\\u" + String.format("%04x", (int) c) : String.valueOf(c))
                        + "'; use letters, digits, '.', '_', '-', ':', '/' and the wildcard '*'");
            }
        }
        if (pattern.startsWith("/") || pattern.endsWith("/") || pattern.contains("//")) {
            throw RbacException.invalid("InvalidActionOrNotAction",
                    "the " + field + " entry '" + pattern + "' has an empty segment (a leading, trailing or doubled '/')");
        }
        return pattern;
    }

    String source() {
        return source;
    }

    /** True if {@code action} is one this pattern names. Null or empty never matches. */
    boolean matches(String action) {
        if (action == null || action.isEmpty() || action.length() < minLength) {
            return false;
        }
        if (parts == null) {
            return action.length() == exact.length() && asciiEquals(exact, 0, action, 0, exact.length());
        }
        String first = parts[0];
        String last = parts[parts.length - 1];
        int end = action.length() - last.length();
        if (!asciiEquals(first, 0, action, 0, first.length()) || !asciiEquals(last, 0, action, end, last.length())) {
            return false;
        }
        int at = first.length();
        for (int i = 1; i < parts.length - 1; i++) {
            String part = parts[i];
            at = indexOf(part, action, at, end);
            if (at < 0) {
                return false;
            }
            at += part.length();
        }
        return true;
    }

    /** Leftmost {@code from <= i} with {@code part} at {@code s[i..]} ending by {@code to}, or -1. */
    private static int indexOf(String part, String s, int from, int to) {
        for (int i = from; i + part.length() <= to; i++) {
            if (asciiEquals(part, 0, s, i, part.length())) {
                return i;
            }
        }
        return -1;
    }

    /** {@code lower} (already folded) against {@code s} folded on the fly, ASCII only. */
    private static boolean asciiEquals(String lower, int lo, String s, int so, int n) {
        for (int i = 0; i < n; i++) {
            if (lower.charAt(lo + i) != fold(s.charAt(so + i))) {
                return false;
            }
        }
        return true;
    }

    private static char fold(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private static String toLowerAscii(String s) {
        char[] out = s.toCharArray();
        for (int i = 0; i < out.length; i++) {
            out[i] = fold(out[i]);
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return source;
    }
}
