package dev.bulwark.identity.rbac;

/** Checks for free-text fields: names, descriptions, principal ids. */
final class RbacText {
    private RbacText() {
    }

    /** Non-blank, no surrounding white space, no control characters, at most {@code max} characters. */
    static String require(String s, String field, int max, String code) {
        if (s == null || s.isBlank()) {
            throw RbacException.invalid(code, field + " is required");
        }
        if (!s.equals(s.strip())) {
            throw RbacException.invalid(code, field + " must not start or end with white space");
        }
        return optional(s, field, max, code);
    }

    static String optional(String s, String field, int max) {
        return optional(s, field, max, "InvalidRequestContent");
    }

    private static String optional(String s, String field, int max, String code) {
        if (s.length() > max) {
            throw RbacException.invalid(code, field + " must be at most " + max + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw RbacException.invalid(code, field + " must not contain control characters");
            }
        }
        return s;
    }
}
