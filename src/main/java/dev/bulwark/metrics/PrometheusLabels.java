package dev.bulwark.metrics;

/**
 * Label values for the Prometheus text format (0.0.4): inside the double quotes a backslash, a double
 * quote and a line feed must be written {@code \\}, {@code \"} and {@code \n}; anything else is taken
 * as is. Account and deployment names are users' words, so every label built from them goes
 * through here: an unescaped quote or newline would end the sample early and corrupt the scrape.
 */
public final class PrometheusLabels {
    private PrometheusLabels() {
    }

    /** Appends {@code value} escaped (without the surrounding quotes). */
    public static StringBuilder appendEscaped(StringBuilder sb, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb;
    }
}
