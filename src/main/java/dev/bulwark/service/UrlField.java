package dev.bulwark.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

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
     * One value found at this path.
     *
     * @param parameter  the concrete parameter name, e.g. {@code messages[1].content[0].image_url.url}
     *                   (or {@code ...image_url} for the string form)
     * @param value      the value: its text, or its JSON text when it is not a string
     * @param holder     the object holding the value under {@code field} (null when an array element holds it)
     * @param field      the field of {@code holder} that holds the value
     * @param stringForm whether the declared field's parent held this string itself instead of an
     *                   object (e.g. {@code "image_url":"https://..."}, a form some model servers accept)
     */
    public record Slot(String parameter, String value, ObjectNode holder, String field, boolean stringForm) {
    }

    /**
     * Calls {@code found} with (concrete parameter name, e.g. {@code messages[1].content[0].image_url.url},
     * value) for every value at this path in {@code body}. Absent branches are skipped; a
     * non-text value at the end is reported as its JSON text, so a check can refuse it. When the
     * declared field's parent is a string rather than an object ({@code "image_url":"http://..."}),
     * that string is the value, named by the parent's parameter: a model server may fetch it too.
     */
    public void forEachValue(JsonNode body, BiConsumer<String, String> found) {
        forEachSlot(body, slot -> found.accept(slot.parameter(), slot.value()));
    }

    /** Like {@link #forEachValue}, with where each value is held, so a caller can replace it. */
    public void forEachSlot(JsonNode body, Consumer<Slot> found) {
        walk(body, null, null, steps(), 0, new StringBuilder(), found);
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

    private static void walk(JsonNode node, ObjectNode holder, String held, String[] steps, int i, StringBuilder name,
                             Consumer<Slot> found) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        if (i == steps.length) {
            found.accept(new Slot(name.toString(), node.isTextual() ? node.textValue() : node.toString(), holder, held, false));
            return;
        }
        if (i == steps.length - 1 && node.isTextual()) {
            // The declared field's parent is a string, not an object: the string is the URL.
            found.accept(new Slot(name.toString(), node.textValue(), holder, held, true));
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
                    walk(child.get(k), null, null, steps, i + 1, name, found);
                    name.setLength(base);
                }
            }
        } else {
            walk(child, (ObjectNode) node, field, steps, i + 1, name, found);
        }
        name.setLength(mark);
    }
}
