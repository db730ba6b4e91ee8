package dev.bulwark.service.openai;

import dev.bulwark.identity.rbac.Actions;
import dev.bulwark.service.UrlField;

import java.util.List;

/**
 * The OpenAI operations Bulwark proxies, with the path the upstream serves each at (below its
 * base URL), the RBAC data action (Azure's names) and the request fields that carry URLs.
 */
public enum OpenAiOperation {
    CHAT_COMPLETIONS("chat/completions", Actions.OPENAI_CHAT_COMPLETIONS, "ChatCompletions_Create",
            // Image inputs by URL; file inputs by URL (newer servers); audio is inline data, not a URL.
            List.of(new UrlField("messages[].content[].image_url.url"), new UrlField("messages[].content[].file.file_url"),
                    new UrlField("messages[].content[].video_url.url"))),
    COMPLETIONS("completions", Actions.OPENAI_COMPLETIONS, "Completions_Create", List.of()),
    EMBEDDINGS("embeddings", Actions.OPENAI_EMBEDDINGS, "Embeddings_Create", List.of());

    private final String upstreamPath;
    private final String dataAction;
    private final String operationName;
    private final List<UrlField> urlFields;

    OpenAiOperation(String upstreamPath, String dataAction, String operationName, List<UrlField> urlFields) {
        this.upstreamPath = upstreamPath;
        this.dataAction = dataAction;
        this.operationName = operationName;
        this.urlFields = urlFields;
    }

    /** Below the upstream's base URL, without a leading slash, e.g. {@code chat/completions}. */
    public String upstreamPath() {
        return upstreamPath;
    }

    public String dataAction() {
        return dataAction;
    }

    public String operationName() {
        return operationName;
    }

    public List<UrlField> urlFields() {
        return urlFields;
    }

    /** Whether the answer counts completion tokens (embeddings have only prompt tokens). */
    public boolean generates() {
        return this != EMBEDDINGS;
    }
}
