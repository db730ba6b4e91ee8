package dev.bulwark.server.management;

import dev.bulwark.account.AccountValidationException;
import dev.bulwark.audit.AuditJson;
import dev.bulwark.audit.AuditLog;
import dev.bulwark.audit.AuditQuery;
import dev.bulwark.audit.StoredAuditRecord;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.StringJoiner;

/** {@code GET /audit?account=&operation=&since=&until=&top=}: records newest first. */
final class AuditApi {
    static final String OPERATION = "Bulwark/audit/read";
    private final AuditLog audit;

    AuditApi(AuditLog audit) {
        this.audit = audit;
    }

    ApiResponse handle(ApiRequest r) {
        if (!r.method().equals("GET")) {
            return ApiResponse.error(405, "MethodNotAllowed", "allowed methods: GET", "/audit");
        }
        if (r.segments().length == 2 && r.segments()[1].equals("verify")) {
            return verify();
        }
        if (r.segments().length != 1) {
            return ApiResponse.error(404, "NotFound", "no such operation", "/audit");
        }
        int top = 100;
        if (r.query("top") != null) {
            try {
                top = Integer.parseInt(r.query("top"));
            } catch (NumberFormatException e) {
                top = -1;
            }
            if (top < 1 || top > 1000) {
                throw new AccountValidationException("InvalidQueryParameter", "top must be a number from 1 to 1000");
            }
        }
        // Records appended before this call (data-plane refusals are queued) are written first.
        audit.flush();
        AuditQuery q = new AuditQuery(r.query("account"), r.query("operation"), instant(r, "since"), instant(r, "until"), top);
        List<StoredAuditRecord> records = audit.query(q);
        StringJoiner value = new StringJoiner(",", "{\"value\":[", "]}");
        for (StoredAuditRecord rec : records) {
            value.add(AuditJson.toJson(rec));
        }
        return new ApiResponse(200, "application/json; charset=utf-8", value.toString(), "/audit", java.util.Map.of());
    }

    private ApiResponse verify() {
        audit.flush();
        String json = switch (audit.verify()) {
            case dev.bulwark.audit.VerifyResult.Intact i ->
                    "{\"intact\":true,\"records\":" + i.records() + ",\"headHash\":\"" + i.headHash() + "\"}";
            case dev.bulwark.audit.VerifyResult.Broken b ->
                    "{\"intact\":false,\"atSequence\":" + b.atSequence() + ",\"reason\":"
                            + com.fasterxml.jackson.databind.node.TextNode.valueOf(b.reason()) + "}";
        };
        return new ApiResponse(200, "application/json; charset=utf-8", json, "/audit", java.util.Map.of());
    }

    private static Instant instant(ApiRequest r, String name) {
        String v = r.query(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new AccountValidationException("InvalidQueryParameter", name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
