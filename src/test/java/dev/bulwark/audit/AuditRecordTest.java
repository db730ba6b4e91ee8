package dev.bulwark.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.bulwark.audit.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditRecordTest {

    private static AuditRecord withProperties(Map<String, Object> properties) {
        return new AuditRecord(T0, "/accounts/a", "op", "Audit", "Succeeded", "200", 1, null, null, null, properties);
    }

    @Test
    void requiredFieldsAreRefusedWhenMissingOrBlank() {
        assertThatThrownBy(() -> new AuditRecord(null, "/a", "op", "Audit", "Succeeded", null, 0, null, null, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("time");
        assertThatThrownBy(() -> new AuditRecord(T0, null, "op", "Audit", "Succeeded", null, 0, null, null, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("resourceId");
        assertThatThrownBy(() -> new AuditRecord(T0, "/a", " ", "Audit", "Succeeded", null, 0, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditRecord(T0, "/a", "op", null, "Succeeded", null, 0, null, null, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("category");
        assertThatThrownBy(() -> new AuditRecord(T0, "/a", "op", "Audit", null, null, 0, null, null, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("resultType");
    }

    @Test
    void fieldsOutsideTheirDomainAreRefused() {
        assertThatThrownBy(() -> new AuditRecord(T0, "accounts/a", "op", "Audit", "Succeeded", null, 0, null, null, null, null))
                .hasMessageContaining("resourceId");
        assertThatThrownBy(() -> new AuditRecord(T0, "/a", "op", "Diagnostics", "Succeeded", null, 0, null, null, null, null))
                .hasMessageContaining("category");
        assertThatThrownBy(() -> new AuditRecord(T0, "/a", "op", "Audit", "Succeeded", null, -1, null, null, null, null))
                .hasMessageContaining("durationMs");
        assertThatThrownBy(() -> new AuditRecord(Instant.parse("+10000-01-01T00:00:00Z"), "/a", "op", "Audit", "Succeeded",
                null, 0, null, null, null, null)).hasMessageContaining("time");
    }

    @Test
    void propertiesAreADeepImmutableCopy() {
        List<Object> tags = new ArrayList<>(List.of("x"));
        Map<String, Object> source = new HashMap<>(Map.of("tags", tags, "n", 1));
        AuditRecord r = withProperties(source);

        source.put("added", "later");
        tags.add("y");

        assertThat(r.properties()).isEqualTo(Map.of("tags", List.of("x"), "n", 1L));
        assertThatThrownBy(() -> r.properties().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<Object>) r.properties().get("tags")).add("z"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void missingPropertiesMeanEmpty() {
        assertThat(withProperties(null).properties()).isEmpty();
    }

    @Test
    void propertiesWithoutAnExactCanonicalFormAreRefused() {
        assertThatThrownBy(() -> withProperties(Map.of("ratio", 0.5))).hasMessageContaining("Double");
        assertThatThrownBy(() -> withProperties(Map.of("big", 1L << 53))).hasMessageContaining("2^53");
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("k", null);
        assertThatThrownBy(() -> withProperties(withNull)).hasMessageContaining("null");
        assertThatThrownBy(() -> withProperties(Map.of("when", Instant.EPOCH))).hasMessageContaining("Instant");
    }

    @Test
    void propertyNamesThatCarrySecretsAreRefusedAtAnyDepth() {
        assertThatThrownBy(() -> withProperties(Map.of("key1", "abc"))).hasMessageContaining("secret");
        assertThatThrownBy(() -> withProperties(Map.of("Client_Secret", "abc"))).hasMessageContaining("secret");
        assertThatThrownBy(() -> withProperties(Map.of("body", Map.of("api-key", "abc")))).hasMessageContaining("secret");
        assertThat(withProperties(Map.of("keyName", "key1")).properties()).containsEntry("keyName", "key1");
    }

    @Test
    void unpairedSurrogatesBecomeReplacementCharactersSoStoredTextEqualsHashedText() {
        AuditRecord r = new AuditRecord(T0, "/a", "op", "Audit", "Succeeded", null, 0, null, null,
                "bad\uD800x ok\uD83D\uDE00", Map.of("v", "\uDC00"));

        assertThat(r.identity()).isEqualTo("bad\uFFFDx ok\uD83D\uDE00");
        assertThat(r.properties()).containsEntry("v", "\uFFFD");
    }
}
