package dev.bulwark.service.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.fetch.FetchPolicy;
import dev.bulwark.fetch.SafeFetcher;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The inliner's own decisions, made before anything is fetched (the fetches are end to end in RemoteImagesEndToEndTest). */
class ImageInlinerTest {
    private final Vertx vertx = Vertx.vertx();
    // Resolves nothing: a test that reached the network would see a refusal it does not expect.
    private final SafeFetcher fetcher = new SafeFetcher(vertx, FetchPolicy.defaults(), host -> List.of());

    @AfterEach
    void stop() throws Exception {
        fetcher.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static ObjectNode chat(String url) {
        return RequestBodies.parse(("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\""
                + url + "\"}}]}]}").getBytes());
    }

    private static ImageInliner.Refusal await(io.vertx.core.Future<ImageInliner.Refusal> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void plainHttpIsRefusedUnlessTheOperatorAllowsIt() throws Exception {
        ImageInliner.Refusal r = await(new ImageInliner(fetcher, false, 1000).inline(chat("http://images.example.com/a.png")));
        assertThat(r.code()).isEqualTo("InvalidImageUrl");
        assertThat(r.parameter()).isEqualTo("messages[0].content[0].image_url.url");
        assertThat(r.message()).contains("only https image URLs are fetched");
        // Allowed, it is fetched: here the resolver knows no name, so the fetch itself refuses.
        ImageInliner.Refusal fetched = await(new ImageInliner(fetcher, true, 1000).inline(chat("http://images.example.com/a.png")));
        assertThat(fetched.message()).contains("images.example.com could not be resolved");
    }

    @Test
    void aBodyWithoutRemoteImagesIsLeftAlone() throws Exception {
        ObjectNode body = chat("data:image/gif;base64,R0lGOD");
        String before = body.toString();
        assertThat(await(new ImageInliner(fetcher, false, 1000).inline(body))).isNull();
        assertThat(body.toString()).isEqualTo(before);
        ObjectNode text = RequestBodies.parse("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes());
        assertThat(await(new ImageInliner(fetcher, false, 1000).inline(text))).isNull();
    }

    @Test
    void onlyAPlainImageMediaTypeIsPassedOnInADataUrl() {
        assertThat(ImageInliner.mediaType("image/png")).isEqualTo("image/png");
        assertThat(ImageInliner.mediaType(" Image/JPEG ; charset=binary")).isEqualTo("image/jpeg");
        assertThat(ImageInliner.mediaType("image/svg+xml")).isEqualTo("image/svg+xml");
        assertThat(ImageInliner.mediaType("image/png,text/html")).isNull();
        assertThat(ImageInliner.mediaType("image/")).isNull();
        assertThat(ImageInliner.mediaType("text/html")).isNull();
        assertThat(ImageInliner.mediaType("")).isNull();
    }
}
