package dev.bulwark.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A request-body field that may carry a URL, written as a path through the JSON:
 * {@code messages[].content[].image_url.url} means "in every element of {@code messages}, in every
 * element of its {@code content}, the {@code url} of {@code image_url}". Routes declare these so the
 * data-loss-prevention stage can check every URL a model could be made to fetch.
 *
 * @param path the declared path
 */
public record UrlField(String path) {

    public UrlField {
        if (path == null || path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new IllegalArgumentException("bad URL field path: " + path);
        }
    }

    /**
     * Calls {@code found} with (concrete parameter name, e.g. {@code messages[1].content[0].image_url.url},
     * value) for every textual value at this path in {@code body}. Absent branches are skipped; a
     * non-text value at the end is reported as its JSON text, so a check can refuse it.
     */
    public void forEachValue(JsonNode body, BiConsumer<String, String> found) {
        walk(body, steps(), 0, new StringBuilder(), found);
    }

    /** Every value at this path, as (parameter name, value) pairs. */
    public List<String[]> values(JsonNode body) {
        List<String[]> out = new ArrayList<>();
        forEachValue(body, (name, value) -> out.add(new String[] {name, value}));
        return out;
    }

    private String[] steps() {
        return path.split("\\.");
    }

    private static void walk(JsonNode node, String[] steps, int i, StringBuilder name, BiConsumer<String, String> found) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        if (i == steps.length) {
            found.accept(name.toString(), node.isTextual() ? node.textValue() : node.toString());
            return;
        }
        String step = steps[i];
        boolean each = step.endsWith("[]");
        String field = each ? step.substring(0, step.length() - 2) : step;
        if (!node.isObject()) {
            return;
        }
        JsonNode child = node.get(field);
        int mark = name.length();
        if (mark > 0) {
            name.append('.');
        }
        name.append(field);
        if (each) {
            if (child != null && child.isArray()) {
                int base = name.length();
                for (int k = 0; k < child.size(); k++) {
                    name.append('[').append(k).append(']');
                    walk(child.get(k), steps, i + 1, name, found);
                    name.setLength(base);
                }
            }
        } else {
            walk(child, steps, i + 1, name, found);
        }
        name.setLength(mark);
    }
}
