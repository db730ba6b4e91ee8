package dev.bulwark.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class KeysAtRestTest {
    private static final String BODY = "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":"
            + "[{\"id\":\"1\",\"text\":\"Guten Morgen, wie geht es Ihnen heute?\"}]}}";

    @Test
    void aRestartKeepsAccountsAndKeysAndNoFileUnderHomeHoldsAKey(@TempDir Path home) throws Exception {
        TestBulwark bulwark = new TestBulwark(home);
        String[] keys;
        try {
            keys = bulwark.createAccount("durable", "TextAnalytics");
            assertThat(call(bulwark, keys[0])).isEqualTo(200);
            // Rotate once so an old key has also passed through the database.
            String old = keys[1];
            keys[1] = bulwark.management("POST", "/accounts/durable/regenerateKey", "{\"keyName\":\"Key2\"}").json().get("key2").asText();
            assertThat(call(bulwark, old)).isEqualTo(401);
            keys = new String[] {keys[0], keys[1], old};
        } finally {
            bulwark.stop();
        }

        bulwark.start();
        try {
            assertThat(call(bulwark, keys[0])).isEqualTo(200);
            assertThat(call(bulwark, keys[1])).isEqualTo(200);
            assertThat(call(bulwark, keys[2])).isEqualTo(401);
            assertThat(bulwark.management("GET", "/accounts/durable", null).status()).isEqualTo(200);
        } finally {
            bulwark.stop();
        }

        List<Path> files;
        try (Stream<Path> walk = Files.walk(home)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(p -> p.getFileName().toString().equals("bulwark.db"));
        List<String> leaks = new ArrayList<>();
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            String latin1 = new String(content, StandardCharsets.ISO_8859_1);
            for (String key : keys) {
                String body = key.substring(4, 40); // the random part alone, in case a prefix were stripped
                for (String form : List.of(key, body, Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.US_ASCII)),
                        HexFormat.of().formatHex(key.getBytes(StandardCharsets.US_ASCII)))) {
                    if (latin1.contains(form)) {
                        leaks.add(f + " contains a key");
                    }
                }
                if (new String(content, StandardCharsets.UTF_16LE).contains(key)) {
                    leaks.add(f + " contains a key (UTF-16)");
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static int call(TestBulwark b, String key) {
        return b.send(HttpRequest.newBuilder(URI.create(b.endpoint("durable") + "language/:analyze-text?api-version=2023-04-01"))
                .header("Ocp-Apim-Subscription-Key", key).POST(HttpRequest.BodyPublishers.ofString(BODY)).build()).status();
    }
}
