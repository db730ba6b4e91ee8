package dev.bulwark.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one definition of what a record's hash covers. Anyone holding an exported record can recompute
 * it, so the definition is exact:
 *
 * <pre>
 * hash = lowercase hex of SHA-256( UTF-8 bytes of canonicalJson(sequence, previousHash, record) )
 * </pre>
 *
 * <p>{@code canonicalJson} is one JSON object with exactly these 13 members, sorted by key (UTF-16
 * code units, as RFC 8785 JCS sorts), no whitespace anywhere:
 * {@code callerIpAddress, category, correlationId, durationMs, identity, operationName, previousHash,
 * properties, resourceId, resultSignature, resultType, sequence, time}. That is the {@code GET /audit}
 * export object ({@link AuditJson}) without its {@code hash} member. Values:
 * <ul>
 * <li>{@code sequence}, {@code durationMs}: JSON integers in plain decimal;
 * <li>{@code time}: the string {@code uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'} in UTC, always nine
 *     fractional digits (fixed width, so the stored text also sorts in time order);
 * <li>{@code previousHash}: 64 lowercase hex digits; the first record's is 64 zeros;
 * <li>nullable fields: the literal {@code null} (the member is never omitted);
 * <li>{@code properties}: an object, members sorted the same way, recursively; values are strings,
 *     booleans, integers in ±(2^53-1), arrays, objects (see {@link AuditProperties});
 * <li>strings: {@code "} and {@code \} escaped as {@code \"} and {@code \\}; U+0008, U+0009, U+000A,
 *     U+000C, U+000D as {@code \b \t \n \f \r}; other characters below U+0020 as {@code \}{@code u00xx}
 *     with lowercase hex; every other character (including '/', non-ASCII, U+2028) as itself.
 * </ul>
 * With these value types this is exactly RFC 8785 (JCS) output, so any JCS library reproduces it.
 */
public final class AuditCanonical {

    /** The previousHash of record 1. */
    public static final String GENESIS_HASH = "0".repeat(64);

    private static final DateTimeFormatter TIME = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC)
            .withResolverStyle(ResolverStyle.STRICT);

    private AuditCanonical() {
    }

    public static String hash(long sequence, String previousHash, AuditRecord record) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalJson(sequence, previousHash, record).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    public static String canonicalJson(long sequence, String previousHash, AuditRecord r) {
        // TreeMap puts the members in String.compareTo order, which is UTF-16 code-unit order.
        TreeMap<String, Object> members = new TreeMap<>();
        members.put("sequence", sequence);
        members.put("previousHash", previousHash);
        members.put("time", formatTime(r.time()));
        members.put("resourceId", r.resourceId());
        members.put("operationName", r.operationName());
        members.put("category", r.category());
        members.put("resultType", r.resultType());
        members.put("resultSignature", r.resultSignature());
        members.put("durationMs", r.durationMs());
        members.put("callerIpAddress", r.callerIpAddress());
        members.put("correlationId", r.correlationId());
        members.put("identity", r.identity());
        members.put("properties", r.properties());
        return json(members);
    }

    /** Canonical JSON of a value made only of null, String, Boolean, Long/Integer, Map and List. */
    public static String json(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out);
        return out.toString();
    }

    public static String formatTime(Instant time) {
        return TIME.format(time);
    }

    /** Strict inverse of {@link #formatTime}: any other spelling of a time is refused. */
    public static Instant parseTime(String text) {
        return TIME.parse(text, Instant::from);
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> writeString(s, out);
            case Boolean b -> out.append(b.booleanValue());
            case Long l -> out.append(l.longValue());
            case Integer i -> out.append(i.intValue());
            case Map<?, ?> map -> {
                // Sorted again here so that an unsorted map (say, from a JSON parser) is still canonical.
                TreeMap<String, Object> sorted = new TreeMap<>();
                map.forEach((k, v) -> sorted.put((String) k, v));
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, Object> e : sorted.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    writeString(e.getKey(), out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("no canonical form for " + value.getClass().getSimpleName());
        }
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
