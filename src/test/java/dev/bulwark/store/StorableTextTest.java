package dev.bulwark.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StorableTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void loneSurrogatesAnywhereAreNotStorablePairsAre() throws Exception {
        assertThat(StorableText.wellFormed("plain ascii, é, 日本")).isTrue();
        assertThat(StorableText.wellFormed("\ud83d\ude00")).isTrue();
        assertThat(StorableText.wellFormed("\ud83d")).isFalse();
        assertThat(StorableText.wellFormed("\ude00x")).isFalse();
        assertThat(StorableText.wellFormed("x\ud83dx")).isFalse();
        assertThat(StorableText.wellFormed(JSON.readTree("{\"a\":[1,{\"b\":\"\\ud83d\\ude00\"}]}"))).isTrue();
        assertThat(StorableText.wellFormed(JSON.readTree("{\"a\":[1,{\"b\":\"\\ud800\"}]}"))).isFalse();
        assertThat(StorableText.wellFormed(JSON.readTree("{\"\\udc00\":1}"))).as("field names too").isFalse();
    }

    @Test
    void aVeryDeepTreeIsWalkedWithoutOverflowingTheStack() throws Exception {
        com.fasterxml.jackson.databind.node.ArrayNode root = JSON.createArrayNode();
        com.fasterxml.jackson.databind.node.ArrayNode n = root;
        for (int i = 0; i < 100_000; i++) {
            n = n.addArray();
        }
        n.add("\ud800");
        assertThat(StorableText.wellFormed(root)).isFalse();
    }
}
