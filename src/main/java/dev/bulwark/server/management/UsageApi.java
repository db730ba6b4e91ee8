package dev.bulwark.server.management;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.account.AccountName;
import dev.bulwark.account.AccountValidationException;
import dev.bulwark.identity.rbac.Actions;
import dev.bulwark.usage.UsageDimension;
import dev.bulwark.usage.UsageLedger;
import dev.bulwark.usage.UsageQuery;
import dev.bulwark.usage.UsageRow;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /usage?account=&deployment=&from=&to=&groupBy=}: model-deployment usage from the hourly
 * table, after flushing what is still only counted in memory. Each row carries the grouped dimensions
 * only ({@code groupBy}, default {@code account,deployment}) and the sums.
 */
final class UsageApi {
    static final String OPERATION = Actions.USAGE_READ;
    private static final ObjectMapper JSON = new ObjectMapper();
    // api-version: ARM clients (the Azure CLI's az rest) add it to every call.
    private static final Set<String> PARAMETERS = Set.of("account", "deployment", "from", "to", "groupBy", "api-version");

    private final UsageLedger usage;

    UsageApi(UsageLedger usage) {
        this.usage = usage;
    }

    /**
     * The RBAC scope of a usage read: the account's when the query names one (an account's Reader
     * sees that account's usage, and only that: the filter is the scope), else the root.
     */
    static String scope(Map<String, String> query) {
        String account = query.get("account");
        return account != null && AccountName.isValid(account) ? "/accounts/" + account : "/";
    }

    ApiResponse handle(ApiRequest r) {
        if (!r.method().equals("GET")) {
            return ApiResponse.error(405, "MethodNotAllowed", "allowed methods: GET", "/usage");
        }
        if (r.segments().length != 1) {
            return ApiResponse.error(404, "NotFound", "no such operation", "/usage");
        }
        for (String name : r.query().keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw invalid("unknown query parameter '" + printable(name) + "'; known: account, deployment, from, to, groupBy");
            }
        }
        String account = blankToNull(r.query("account"));
        if (account != null && !AccountName.isValid(account)) {
            throw invalid("account must be an account name (lower-case letters, digits and hyphens)");
        }
        UsageQuery q;
        try {
            q = new UsageQuery(account, blankToNull(r.query("deployment")), instant(r, "from"), instant(r, "to"),
                    UsageDimension.parseList(r.query("groupBy")));
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        List<UsageRow> rows = usage.query(q);
        if (rows.size() > UsageQuery.MAX_ROWS) {
            throw invalid("the answer has more than " + UsageQuery.MAX_ROWS
                    + " rows; narrow from/to, filter by account or deployment, or group by fewer dimensions");
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode value = body.putArray("value");
        for (UsageRow row : rows) {
            ObjectNode o = value.addObject();
            for (UsageDimension d : q.groupBy()) {
                switch (d) {
                    case ACCOUNT -> o.put(d.field(), row.account());
                    case DEPLOYMENT -> o.put(d.field(), row.deployment());
                    case KEY -> o.put(d.field(), row.keyId()); // null: no account key was used
                    case PRINCIPAL -> o.put(d.field(), row.principal());
                    case HOUR -> o.put(d.field(), row.hour().toString());
                }
            }
            o.put("requests", row.requests());
            o.put("promptTokens", row.promptTokens());
            o.put("completionTokens", row.completionTokens());
            o.put("totalTokens", row.totalTokens());
        }
        return ApiResponse.json(200, body, "/usage");
    }

    private static Instant instant(ApiRequest r, String name) {
        String v = r.query(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static AccountValidationException invalid(String message) {
        return new AccountValidationException("InvalidQueryParameter", message);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }
}
