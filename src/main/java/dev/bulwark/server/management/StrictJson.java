package dev.bulwark.server.management;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bulwark.account.AccountValidationException;

import java.io.IOException;

/** JSON parsing for request bodies: duplicate keys and trailing data are errors, not guesses. */
final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private StrictJson() {
    }

    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new AccountValidationException("InvalidRequestContent", "the request body is empty; a JSON object is expected");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AccountValidationException("InvalidRequestContent", "the request body is not valid JSON: "
                    + firstLine(e.getMessage()));
        }
        if (!dev.bulwark.store.StorableText.wellFormed(tree)) {
            throw new AccountValidationException("InvalidRequestContent",
                    "the request body holds text that is not valid Unicode (an unpaired surrogate escape such as \\ud800)");
        }
        return tree;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
