package dev.bulwark.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One audit event with the field names of an Azure diagnostic-log record (WIRE.md). Validated and
 * deeply immutable, because the writer thread hashes it later and it must not change underneath.
 *
 * <p>Required: {@code time} (years 0000-9999, so its canonical text has a fixed width),
 * {@code resourceId} (starts with '/'), {@code operationName}, {@code category} (Audit or
 * RequestResponse), {@code resultType}, {@code durationMs} (0 ... 2^53-1). May be null:
 * {@code resultSignature} (no HTTP status for background events), {@code callerIpAddress},
 * {@code correlationId}, {@code identity}. {@code properties} may be null, meaning empty; they are
 * copied into sorted, unmodifiable maps and lists, with every integer as a {@code Long}.
 *
 * <p>Never put a secret in any field: {@code identity} describes a principal ("key:key1",
 * "user:alice@example.com"), {@code properties} carry facts.
 */
public record AuditRecord(Instant time, String resourceId, String operationName, String category,
        String resultType, String resultSignature, long durationMs, String callerIpAddress,
        String correlationId, String identity, Map<String, Object> properties) {

    public static final String CATEGORY_AUDIT = "Audit";
    public static final String CATEGORY_REQUEST_RESPONSE = "RequestResponse";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";

    static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    public AuditRecord {
        Objects.requireNonNull(time, "time");
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
            throw new IllegalArgumentException("time must be within the years 0000-9999: " + time);
        }
        resourceId = required(resourceId, "resourceId");
        if (!resourceId.startsWith("/")) {
            throw new IllegalArgumentException("resourceId must start with '/': " + resourceId);
        }
        operationName = required(operationName, "operationName");
        category = required(category, "category");
        if (!category.equals(CATEGORY_AUDIT) && !category.equals(CATEGORY_REQUEST_RESPONSE)) {
            throw new IllegalArgumentException("category must be Audit or RequestResponse: " + category);
        }
        resultType = required(resultType, "resultType");
        if (durationMs < 0 || durationMs > AuditProperties.MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException("durationMs out of range: " + durationMs);
        }
        resultSignature = AuditText.clean(resultSignature);
        callerIpAddress = AuditText.clean(callerIpAddress);
        correlationId = AuditText.clean(correlationId);
        identity = AuditText.clean(identity);
        properties = AuditProperties.copyOf(properties);
    }

    private static String required(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return AuditText.clean(value);
    }
}
