package dev.bulwark.identity.workload;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadTokenPolicyTest {
    private static final Set<String> AUD = Set.of("https://bulwark.example/oauth2/v2.0/token");

    @Test
    void defaultsAllowCognitiveServicesOnly() {
        WorkloadTokenPolicy p = WorkloadTokenPolicy.defaults(List.of("https://bulwark.example/oauth2/v2.0/token"));
        assertThat(p.resources()).containsExactly("https://cognitiveservices.azure.com");
        assertThat(p.maxAssertionLifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.resource("https://cognitiveservices.azure.com")).contains("https://cognitiveservices.azure.com");
        assertThat(p.resource("https://cognitiveservices.azure.com/")).contains("https://cognitiveservices.azure.com");
        assertThat(p.resource("https://cognitiveservices.azure.com//")).isEmpty();
        assertThat(p.resource("https://COGNITIVESERVICES.azure.com")).isEmpty();
        assertThat(p.resource("")).isEmpty();
        assertThat(p.resource(null)).isEmpty();
    }

    @Test
    void badConfigurationStopsConstructionInsteadOfBeingCorrected() {
        Duration ten = Duration.ofMinutes(10);
        Duration skew = Duration.ofSeconds(30);
        assertThatThrownBy(() -> new WorkloadTokenPolicy(Set.of(), AUD, ten, skew)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkloadTokenPolicy(Set.of("https://x.example/"), AUD, ten, skew)).hasMessageContaining("trailing");
        assertThatThrownBy(() -> new WorkloadTokenPolicy(Set.of("https://x.example/.default"), AUD, ten, skew)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkloadTokenPolicy(Set.of("a b"), AUD, ten, skew)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkloadTokenPolicy(Set.of("https://x.example"), Set.of(), ten, skew)).hasMessageContaining("audience");
        assertThatThrownBy(() -> new WorkloadTokenPolicy(Set.of("https://x.example"), Set.of("http://bulwark.example/token"), ten, skew))
                .hasMessageContaining("https");
        assertThatThrownBy(() -> new WorkloadTokenPolicy(Set.of("https://x.example"), Set.of("https://b.example/t?x=1"), ten, skew))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkloadTokenPolicy(Set.of("https://x.example"), AUD, Duration.ofMinutes(11), skew))
                .hasMessageContaining("10 minutes");
        assertThatThrownBy(() -> new WorkloadTokenPolicy(Set.of("https://x.example"), AUD, ten, Duration.ofSeconds(61)))
                .hasMessageContaining("60 seconds");
        assertThat(new WorkloadTokenPolicy(Set.of("api://bulwark"), AUD, Duration.ofMinutes(5), Duration.ZERO).resource("api://bulwark"))
                .contains("api://bulwark");
    }
}
