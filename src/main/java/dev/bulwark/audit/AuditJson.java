package dev.bulwark.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The export form of stored records, as {@code GET /audit} answers them: the WIRE.md field names,
 * then {@code sequence}, {@code previousHash}, {@code hash}. Every field is always present (null when
 * absent) and {@code time} uses the canonical fixed-width text, so an exported object without its
 * {@code hash} member, canonicalised, hashes to {@code hash}: exports can be verified offline.
 */
public final class AuditJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuditJson() {
    }

    public static String toJson(StoredAuditRecord r) {
        return write(toMap(r));
    }

    /** {@code {"value":[...]}}, newest first as given. */
    public static String toJsonPage(List<StoredAuditRecord> records) {
        List<Map<String, Object>> value = new ArrayList<>(records.size());
        for (StoredAuditRecord r : records) {
            value.add(toMap(r));
        }
        return write(Map.of("value", value));
    }

    private static Map<String, Object> toMap(StoredAuditRecord stored) {
        AuditRecord r = stored.record();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", AuditCanonical.formatTime(r.time()));
        m.put("resourceId", r.resourceId());
        m.put("operationName", r.operationName());
        m.put("category", r.category());
        m.put("resultType", r.resultType());
        m.put("resultSignature", r.resultSignature());
        m.put("durationMs", r.durationMs());
        m.put("callerIpAddress", r.callerIpAddress());
        m.put("correlationId", r.correlationId());
        m.put("identity", r.identity());
        m.put("properties", r.properties());
        m.put("sequence", stored.sequence());
        m.put("previousHash", stored.previousHash());
        m.put("hash", stored.hash());
        return m;
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Only strings, numbers, booleans, lists and maps reach here; failing is a bug, not input.
            throw new IllegalStateException("cannot write audit JSON", e);
        }
    }
}
