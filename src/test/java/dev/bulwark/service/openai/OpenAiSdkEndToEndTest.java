package dev.bulwark.service.openai;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official OpenAI Java SDK against Bulwark, configured as users configure it: once for Azure
 * (endpoint + api key, deployment in the path) and once as plain OpenAI (base URL + key as a bearer
 * token), in front of a fake OpenAI-compatible model server.
 */
class OpenAiSdkEndToEndTest extends OpenAiEndToEnd {
    private static OpenAIClient azure(String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(fx.endpoint())
                .credential(AzureApiKeyCredential.create(key))
                .azureServiceVersion(AzureOpenAIServiceVersion.getV2024_10_21())
                // The endpoint is not an *.openai.azure.com host, so say which Azure path form to use.
                .azureUrlPathMode(AzureUrlPathMode.LEGACY)
                .sslSocketFactory(fx.bulwark.sslContext().getSocketFactory())
                .trustManager(fx.trustManager())
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    private static OpenAIClient plain(String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(fx.endpoint() + "/v1")
                .apiKey(key)
                .sslSocketFactory(fx.bulwark.sslContext().getSocketFactory())
                .trustManager(fx.trustManager())
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    private static ChatCompletionCreateParams chat(String deployment) {
        return ChatCompletionCreateParams.builder().model(ChatModel.of(deployment)).addUserMessage("Say hello").maxCompletionTokens(16).build();
    }

    @Test
    void azureConfiguredClientCompletesAChat() {
        ChatCompletion c = azure(fx.key1).chat().completions().create(chat(OpenAiFixture.DEPLOYMENT));

        assertThat(c.choices().get(0).message().content()).contains("Hello from the fake model.");
        assertThat(c.usage().orElseThrow().totalTokens()).isEqualTo(17);
        FakeModelServer.Received got = fx.upstream.last();
        assertThat(got.path()).isEqualTo("/v1/chat/completions");
        assertThat(got.body().get("model").asText()).isEqualTo(OpenAiFixture.UPSTREAM_MODEL);
        // The client's key stays with Bulwark; the upstream sees only the deployment's credential.
        assertThat(got.headers().get("Authorization")).isEqualTo("Bearer " + OpenAiFixture.UPSTREAM_SECRET);
        assertThat(got.headers().contains("api-key")).isFalse();
        assertThat(got.headers().toString()).doesNotContain(fx.key1);
    }

    @Test
    void plainClientWithTheKeyAsBearerCompletesAChat() {
        ChatCompletion c = plain(fx.key2).chat().completions().create(chat(OpenAiFixture.DEPLOYMENT));

        assertThat(c.choices().get(0).message().content()).contains("Hello from the fake model.");
        FakeModelServer.Received got = fx.upstream.last();
        assertThat(got.headers().get("Authorization")).isEqualTo("Bearer " + OpenAiFixture.UPSTREAM_SECRET);
        assertThat(got.headers().toString()).doesNotContain(fx.key2);
    }

    @Test
    void azureStreamArrivesChunkByChunkWhileTheUpstreamIsStillWriting() {
        streamsChunkByChunk(azure(fx.key1));
    }

    @Test
    void plainStreamArrivesChunkByChunkWhileTheUpstreamIsStillWriting() {
        streamsChunkByChunk(plain(fx.key1));
    }

    private static void streamsChunkByChunk(OpenAIClient client) {
        fx.upstream.chunkPauseMs(250);
        int before = fx.upstream.chunksWritten();
        int finishedBefore = fx.upstream.streamsFinished();
        List<String> pieces = new ArrayList<>();
        List<Integer> upstreamChunksWhenSeen = new ArrayList<>();
        boolean anyUsage = false;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat(OpenAiFixture.DEPLOYMENT))) {
            Iterator<ChatCompletionChunk> it = stream.stream().iterator();
            while (it.hasNext()) {
                ChatCompletionChunk chunk = it.next();
                anyUsage |= chunk.usage().isPresent();
                if (!chunk.choices().isEmpty()) {
                    chunk.choices().get(0).delta().content().ifPresent(pieces::add);
                    upstreamChunksWhenSeen.add(fx.upstream.chunksWritten() - before);
                }
            }
        }
        assertThat(String.join("", pieces)).isEqualTo("Hello from the fake model.");
        // The first piece reached the client while the upstream had written only one or two of its six.
        assertThat(upstreamChunksWhenSeen.get(0)).isLessThan(FakeModelServer.WORDS.length);
        assertThat(fx.upstream.streamsFinished()).isEqualTo(finishedBefore + 1);
        // Bulwark asked the upstream for usage to count tokens, but the client did not ask: it sees none.
        assertThat(fx.upstream.last().body().path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(anyUsage).isFalse();
    }

    @Test
    void aStreamThatAsksForUsageGetsIt() {
        ChatCompletionCreateParams params = chat(OpenAiFixture.DEPLOYMENT).toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        long total = -1;
        try (StreamResponse<ChatCompletionChunk> stream = azure(fx.key1).chat().completions().createStreaming(params)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                if (chunk.usage().isPresent()) {
                    total = chunk.usage().get().totalTokens();
                }
            }
        }
        assertThat(total).isEqualTo(17);
    }

    @Test
    void embeddingsInBothConfigurations() {
        EmbeddingCreateParams params = EmbeddingCreateParams.builder().model(EmbeddingModel.of(OpenAiFixture.DEPLOYMENT)).input("hello").build();
        for (OpenAIClient client : List.of(azure(fx.key1), plain(fx.key1))) {
            CreateEmbeddingResponse r = client.embeddings().create(params);
            assertThat(r.data().get(0).embedding()).containsExactly(0.25f, -0.5f, 0.125f);
            assertThat(fx.upstream.last().path()).isEqualTo("/v1/embeddings");
            assertThat(fx.upstream.last().body().get("model").asText()).isEqualTo(OpenAiFixture.UPSTREAM_MODEL);
        }
    }

    @Test
    void modelsListsTheAccountsDeployments() {
        assertThat(plain(fx.key1).models().list().data()).extracting(m -> m.id()).contains(OpenAiFixture.DEPLOYMENT);
    }

    @Test
    void unknownDeploymentIsAzuresNotFound() {
        assertThatThrownBy(() -> azure(fx.key1).chat().completions().create(chat("no-such-deployment")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("deployment for this resource does not exist");
        assertThatThrownBy(() -> plain(fx.key1).chat().completions().create(chat("no-such-deployment")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aWrongKeyIsRefusedInBothConfigurations() {
        String forged = fx.key1.substring(0, fx.key1.length() - 8) + "AAAAAAAA";
        assertThatThrownBy(() -> azure(forged).chat().completions().create(chat(OpenAiFixture.DEPLOYMENT)))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> plain(forged).chat().completions().create(chat(OpenAiFixture.DEPLOYMENT)))
                .isInstanceOf(UnauthorizedException.class);
    }
}
