package dev.bulwark.service;

import java.util.ArrayList;
import java.util.List;

/**
 * A route path with variable segments, e.g. {@code /openai/deployments/{deployment}/chat/completions}.
 * A variable matches exactly one non-empty segment; everything else must match exactly (case
 * included). Matching walks the path in place, without splitting or allocating.
 */
public final class PathTemplate {
    private final String text;
    private final String[] segments;
    private final boolean[] variable;

    public PathTemplate(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("a route path starts with '/': " + text);
        }
        this.text = text;
        List<String> parts = new ArrayList<>(List.of(text.substring(1).split("/", -1)));
        this.segments = parts.toArray(String[]::new);
        this.variable = new boolean[segments.length];
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            variable[i] = s.length() > 2 && s.startsWith("{") && s.endsWith("}")
                    && s.indexOf('{', 1) < 0 && s.indexOf('}') == s.length() - 1;
            if (!variable[i] && (s.contains("{") || s.contains("}"))) {
                throw new IllegalArgumentException("a variable is a whole segment: " + text);
            }
        }
    }

    public static boolean isTemplate(String path) {
        return path.indexOf('{') >= 0;
    }

    public String text() {
        return text;
    }

    public boolean matches(String path) {
        return segmentStart(path, segments.length) == path.length() + 1;
    }

    /** The value of the variable {@code {name}} in a path this template matches, or null. */
    public String variable(String path, String name) {
        String wanted = "{" + name + "}";
        for (int i = 0; i < segments.length; i++) {
            if (variable[i] && segments[i].equals(wanted)) {
                int start = segmentStart(path, i);
                int end = path.indexOf('/', start);
                return path.substring(start, end < 0 ? path.length() : end);
            }
        }
        return null;
    }

    /**
     * Matches the first {@code count} segments and returns where segment {@code count} starts (one
     * past the path's end when the path ends there), or -1 on a mismatch.
     */
    private int segmentStart(String path, int count) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return -1;
        }
        int pos = 1;
        for (int i = 0; i < count; i++) {
            if (pos > path.length()) {
                return -1;
            }
            int end = path.indexOf('/', pos);
            if (end < 0) {
                end = path.length();
            }
            if (variable[i]) {
                if (end == pos) {
                    return -1;
                }
            } else if (end - pos != segments[i].length() || !path.startsWith(segments[i], pos)) {
                return -1;
            }
            pos = end + 1;
        }
        return pos;
    }

    @Override
    public String toString() {
        return text;
    }
}
