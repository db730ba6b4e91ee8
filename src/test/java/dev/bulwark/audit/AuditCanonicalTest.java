package dev.bulwark.audit;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The expected strings and hashes were produced independently, by Python's
 * {@code json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False)} and {@code hashlib.sha256},
 * so a change in either the serialisation or the hashing fails here.
 */
class AuditCanonicalTest {

    private static final Instant TIME = Instant.parse("2025-03-01T12:00:00.5Z");
    private static final String OPERATION = "Microsoft.CognitiveServices/accounts/listKeys/action";

    private static final AuditRecord FULL = new AuditRecord(TIME, "/accounts/a", OPERATION, "Audit", "Succeeded",
            "200", 12, "10.0.0.1", "req-1", "user:alice",
            Map.of("keyName", "key1", "count", 3, "tags", List.of("x", "y"), "ok", true,
                    "nested", Map.of("b", "é\n", "a", -5)));

    private static final AuditRecord SPARSE = new AuditRecord(TIME, "/accounts/a", OPERATION, "Audit", "Succeeded",
            null, 12, null, null, null, null);

    @Test
    void canonicalJsonHasAllMembersSortedWithoutWhitespace() {
        assertThat(AuditCanonical.canonicalJson(1, AuditCanonical.GENESIS_HASH, FULL)).isEqualTo(
                "{\"callerIpAddress\":\"10.0.0.1\",\"category\":\"Audit\",\"correlationId\":\"req-1\",\"durationMs\":12,"
                + "\"identity\":\"user:alice\",\"operationName\":\"" + OPERATION + "\","
                + "\"previousHash\":\"" + "0".repeat(64) + "\","
                + "\"properties\":{\"count\":3,\"keyName\":\"key1\",\"nested\":{\"a\":-5,\"b\":\"é\\n\"},\"ok\":true,\"tags\":[\"x\",\"y\"]},"
                + "\"resourceId\":\"/accounts/a\",\"resultSignature\":\"200\",\"resultType\":\"Succeeded\",\"sequence\":1,"
                + "\"time\":\"2025-03-01T12:00:00.500000000Z\"}");
    }

    @Test
    void hashIsSha256OfTheCanonicalJsonChainedThroughPreviousHash() {
        String first = AuditCanonical.hash(1, AuditCanonical.GENESIS_HASH, FULL);
        assertThat(first).isEqualTo("d773c5e19741d0d73b7895b4c102707992363b413a204f4633b533e397626616");

        assertThat(AuditCanonical.canonicalJson(2, first, SPARSE)).contains("\"callerIpAddress\":null")
                .contains("\"resultSignature\":null").contains("\"properties\":{}");
        assertThat(AuditCanonical.hash(2, first, SPARSE))
                .isEqualTo("94363480c1d3fd616f2a4344692df6759a2ea6a148d163f5f4ea9c1594ad8ed9");
    }

    @Test
    void everyFieldChangesTheHash() {
        String base = AuditCanonical.hash(1, AuditCanonical.GENESIS_HASH, SPARSE);
        List<AuditRecord> variants = List.of(
                new AuditRecord(TIME.plusNanos(1), "/accounts/a", OPERATION, "Audit", "Succeeded", null, 12, null, null, null, null),
                new AuditRecord(TIME, "/accounts/b", OPERATION, "Audit", "Succeeded", null, 12, null, null, null, null),
                new AuditRecord(TIME, "/accounts/a", "other", "Audit", "Succeeded", null, 12, null, null, null, null),
                new AuditRecord(TIME, "/accounts/a", OPERATION, "RequestResponse", "Succeeded", null, 12, null, null, null, null),
                new AuditRecord(TIME, "/accounts/a", OPERATION, "Audit", "Failed", null, 12, null, null, null, null),
                new AuditRecord(TIME, "/accounts/a", OPERATION, "Audit", "Succeeded", "200", 12, null, null, null, null),
                new AuditRecord(TIME, "/accounts/a", OPERATION, "Audit", "Succeeded", null, 13, null, null, null, null),
                new AuditRecord(TIME, "/accounts/a", OPERATION, "Audit", "Succeeded", null, 12, "::1", null, null, null),
                new AuditRecord(TIME, "/accounts/a", OPERATION, "Audit", "Succeeded", null, 12, null, "r", null, null),
                new AuditRecord(TIME, "/accounts/a", OPERATION, "Audit", "Succeeded", null, 12, null, null, "u", null),
                new AuditRecord(TIME, "/accounts/a", OPERATION, "Audit", "Succeeded", null, 12, null, null, null, Map.of("k", "v")));
        for (AuditRecord v : variants) {
            assertThat(AuditCanonical.hash(1, AuditCanonical.GENESIS_HASH, v)).as(v.toString()).isNotEqualTo(base);
        }
        assertThat(AuditCanonical.hash(2, AuditCanonical.GENESIS_HASH, SPARSE)).isNotEqualTo(base);
        assertThat(AuditCanonical.hash(1, "1".repeat(64), SPARSE)).isNotEqualTo(base);
    }

    @Test
    void stringsEscapeOnlyQuoteBackslashAndControlCharacters() {
        assertThat(AuditCanonical.json("\"\\\b\t\n\f\r\u0001\u001f/é\u2028\u007f😀"))
                .isEqualTo("\"\\\"\\\\\\b\\t\\n\\f\\r\\u0001\\u001f/é\u2028\u007f😀\"");
    }

    @Test
    void timeHasAFixedWidthSoTextOrderIsTimeOrder() {
        assertThat(AuditCanonical.formatTime(Instant.parse("2025-03-01T12:00:00Z"))).isEqualTo("2025-03-01T12:00:00.000000000Z");
        assertThat(AuditCanonical.formatTime(Instant.parse("0001-01-01T00:00:00.000000001Z"))).isEqualTo("0001-01-01T00:00:00.000000001Z");
        assertThat(AuditCanonical.parseTime("2025-03-01T12:00:00.500000000Z")).isEqualTo(TIME);
    }

    @Test
    void parseTimeRefusesEveryOtherSpelling() {
        for (String other : List.of("2025-03-01T12:00:00.5Z", "2025-03-01T12:00:00Z", "2025-03-01T12:00:00.500000000+00:00",
                "2025-02-30T12:00:00.000000000Z")) {
            assertThatThrownBy(() -> AuditCanonical.parseTime(other)).as(other).isInstanceOf(DateTimeException.class);
        }
    }
}
