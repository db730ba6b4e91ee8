package dev.bulwark.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.account.Account;
import dev.bulwark.account.AccountEndpoints;
import dev.bulwark.account.AccountJson;
import dev.bulwark.account.AccountKeys;
import dev.bulwark.account.AccountName;
import dev.bulwark.account.AccountService;
import dev.bulwark.account.AccountValidationException;
import dev.bulwark.account.KeyName;

import java.util.Map;

/** The ARM-shaped accounts API: {@code /accounts[/{name}[/listKeys|/regenerateKey|/rewrap]]}. */
final class AccountsApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPE = "Microsoft.CognitiveServices/accounts";

    private final AccountService accounts;
    private final AccountEndpoints endpoints;

    AccountsApi(AccountService accounts, AccountEndpoints endpoints) {
        this.accounts = accounts;
        this.endpoints = endpoints;
    }

    /** The ARM operation name for the audit record, known before the call runs. */
    static String operationName(String method, String[] s) {
        if (s.length == 1) {
            return TYPE + "/read";
        }
        if (s.length == 3) {
            return TYPE + "/" + s[2] + "/action";
        }
        return switch (method) {
            case "PUT", "PATCH" -> TYPE + "/write";
            case "DELETE" -> TYPE + "/delete";
            default -> TYPE + "/read";
        };
    }

    ApiResponse handle(ApiRequest r) {
        String[] s = r.segments();
        if (s.length == 1) {
            return r.method().equals("GET") ? list() : methodNotAllowed("GET", "/accounts");
        }
        String name = s[1];
        String resourceId = Account.resourceId(AccountName.isValid(name) ? name : "<invalid>");
        AccountName.validate(name);
        if (s.length == 2) {
            return switch (r.method()) {
                case "GET" -> ApiResponse.json(200, AccountJson.render(accounts.get(name), endpoints), resourceId);
                case "PUT" -> put(name, r.body(), resourceId);
                case "PATCH" -> ApiResponse.json(200,
                        AccountJson.render(accounts.patch(name, AccountJson.parsePatch(name, StrictJson.parse(r.body()), accounts.networks())), endpoints), resourceId);
                case "DELETE" -> accounts.delete(name)
                        ? ApiResponse.json(200, null, resourceId)
                        : ApiResponse.json(204, null, resourceId);
                default -> methodNotAllowed("GET, PUT, PATCH, DELETE", resourceId);
            };
        }
        if (s.length == 3 && s[2].equals("listKeys")) {
            if (!r.method().equals("POST")) {
                return methodNotAllowed("POST", resourceId);
            }
            return ApiResponse.json(200, AccountJson.renderKeys(accounts.listKeys(name)), resourceId);
        }
        if (s.length == 3 && s[2].equals("regenerateKey")) {
            if (!r.method().equals("POST")) {
                return methodNotAllowed("POST", resourceId);
            }
            JsonNode body = StrictJson.parse(r.body());
            if (!body.isObject() || !body.path("keyName").isTextual()) {
                throw new AccountValidationException("InvalidRequestContent", "body must be {\"keyName\":\"Key1\"|\"Key2\"}");
            }
            KeyName slot = KeyName.parse(body.get("keyName").asText());
            AccountKeys keys = accounts.regenerate(name, slot);
            return ApiResponse.json(200, AccountJson.renderKeys(keys), resourceId).withAudit(Map.of("keyName", slot.armName()));
        }
        if (s.length == 3 && s[2].equals("rewrap")) {
            if (!r.method().equals("POST")) {
                return methodNotAllowed("POST", resourceId);
            }
            // Bulwark's own operation: after a key rotation, move the account's data keys to the newest versions.
            int rewrapped = accounts.rewrap(name);
            ObjectNode o = JSON.createObjectNode();
            o.put("rewrapped", rewrapped);
            return ApiResponse.json(200, o, resourceId).withAudit(Map.of("rewrapped", rewrapped));
        }
        return ApiResponse.error(404, "NotFound", "no such operation", resourceId);
    }

    private ApiResponse put(String name, byte[] body, String resourceId) {
        AccountService.PutResult result = accounts.put(name, AccountJson.parsePut(name, StrictJson.parse(body), accounts.networks()));
        return ApiResponse.json(result.created() ? 201 : 200, AccountJson.render(result.account(), endpoints), resourceId)
                .withAudit(Map.of("created", result.created()));
    }

    private ApiResponse list() {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode value = o.putArray("value");
        for (Account a : accounts.list()) {
            value.add(AccountJson.render(a, endpoints));
        }
        return ApiResponse.json(200, o, "/accounts");
    }

    private static ApiResponse methodNotAllowed(String allowed, String resourceId) {
        return ApiResponse.error(405, "MethodNotAllowed", "allowed methods: " + allowed, resourceId);
    }
}
