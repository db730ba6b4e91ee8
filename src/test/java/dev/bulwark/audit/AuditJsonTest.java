package dev.bulwark.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.bulwark.audit.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

class AuditJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private static StoredAuditRecord stored(long seq, String previous, AuditRecord r) {
        return new StoredAuditRecord(seq, r, previous, AuditCanonical.hash(seq, previous, r));
    }

    @Test
    void exportCarriesTheWireFieldNamesAndTheChainFields() throws Exception {
        StoredAuditRecord s = stored(1, AuditCanonical.GENESIS_HASH, record("req-1"));

        JsonNode json = MAPPER.readTree(AuditJson.toJson(s));

        assertThat(json.fieldNames()).toIterable().containsExactly("time", "resourceId", "operationName", "category",
                "resultType", "resultSignature", "durationMs", "callerIpAddress", "correlationId", "identity",
                "properties", "sequence", "previousHash", "hash");
        assertThat(json.get("correlationId").asText()).isEqualTo("req-1");
        assertThat(json.get("resultSignature").asText()).isEqualTo("200");
        assertThat(json.get("properties").get("keyName").asText()).isEqualTo("key1");
        assertThat(json.get("hash").asText()).isEqualTo(s.hash());
    }

    @Test
    void absentFieldsAreWrittenAsNull() throws Exception {
        AuditRecord sparse = new AuditRecord(TestRecords.T0, "/a", "op", "Audit", "Succeeded", null, 0, null, null, null, null);

        JsonNode json = MAPPER.readTree(AuditJson.toJson(stored(1, AuditCanonical.GENESIS_HASH, sparse)));

        assertThat(json.get("identity").isNull()).isTrue();
        assertThat(json.get("callerIpAddress").isNull()).isTrue();
        assertThat(json.get("properties").isEmpty()).isTrue();
    }

    @Test
    void pageWrapsRecordsInValueInTheGivenOrder() throws Exception {
        StoredAuditRecord first = stored(1, AuditCanonical.GENESIS_HASH, record("r1"));
        StoredAuditRecord second = stored(2, first.hash(), record("r2"));

        JsonNode page = MAPPER.readTree(AuditJson.toJsonPage(List.of(second, first)));

        assertThat(page.fieldNames()).toIterable().containsExactly("value");
        assertThat(page.get("value")).extracting(n -> n.get("sequence").asLong()).containsExactly(2L, 1L);
    }

    @Test
    void anExportedRecordCanBeVerifiedOfflineFromItsJsonAlone() throws Exception {
        StoredAuditRecord s = stored(7, "ab".repeat(32), record("req-7"));
        Map<String, Object> exported = MAPPER.readValue(AuditJson.toJson(s), new TypeReference<>() { });

        String claimed = (String) exported.remove("hash");
        String canonical = AuditCanonical.json(exported);

        assertThat(canonical).isEqualTo(AuditCanonical.canonicalJson(7, "ab".repeat(32), s.record()));
        assertThat(claimed).isEqualTo(s.hash());
    }
}
