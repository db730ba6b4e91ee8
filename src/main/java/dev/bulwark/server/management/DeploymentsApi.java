package dev.bulwark.server.management;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.account.Account;
import dev.bulwark.account.AccountName;
import dev.bulwark.account.AccountNotFoundException;
import dev.bulwark.account.AccountValidationException;
import dev.bulwark.deployment.Deployment;
import dev.bulwark.deployment.DeploymentJson;
import dev.bulwark.deployment.DeploymentName;
import dev.bulwark.deployment.DeploymentNotFoundException;
import dev.bulwark.deployment.DeploymentService;
import dev.bulwark.deployment.DeploymentSpec;
import dev.bulwark.deployment.DeploymentValidationException;
import dev.bulwark.identity.rbac.Actions;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Model deployments at ARM's paths, under their account:
 * <ul>
 *   <li>{@code GET /accounts/{a}/deployments} - {@code {"value":[...]}}</li>
 *   <li>{@code PUT /accounts/{a}/deployments/{d}} - create (201) or replace whole (200)</li>
 *   <li>{@code GET /accounts/{a}/deployments/{d}}</li>
 *   <li>{@code DELETE /accounts/{a}/deployments/{d}} - 200, or 204 when there was none (as ARM)</li>
 * </ul>
 * The body is {@link DeploymentJson}'s. An unknown account is a 404 on every path.
 */
final class DeploymentsApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeploymentService deployments;

    DeploymentsApi(DeploymentService deployments) {
        this.deployments = deployments;
    }

    /** True for {@code /accounts/{a}/deployments[/{d}]}. */
    static boolean handles(String[] s) {
        return (s.length == 3 || s.length == 4) && s[0].equals("accounts") && s[2].equals("deployments");
    }

    /** The RBAC action and audit operation name, known before the call runs (Azure's names). */
    static String operationName(String method, String[] s) {
        if (s.length == 3) {
            return Actions.DEPLOYMENTS_READ;
        }
        return switch (method) {
            case "PUT" -> Actions.DEPLOYMENTS_WRITE;
            case "DELETE" -> Actions.DEPLOYMENTS_DELETE;
            default -> Actions.DEPLOYMENTS_READ;
        };
    }

    /** The RBAC scope: the deployment's resource id, so an assignment on one deployment covers only it. */
    static String scope(String[] s) {
        String account = "/accounts/" + s[1];
        return s.length == 4 && DeploymentName.isValid(s[3]) ? account + "/deployments/" + s[3] : account;
    }

    ApiResponse handle(ApiRequest r) {
        try {
            return dispatch(r);
        } catch (DeploymentValidationException e) {
            return ApiResponse.error(400, e.code(), e.getMessage(), resourceOf(r));
        } catch (AccountValidationException e) { // account names and StrictJson's refusals
            return ApiResponse.error(400, e.code(), e.getMessage(), resourceOf(r));
        } catch (AccountNotFoundException | DeploymentNotFoundException e) {
            return ApiResponse.error(404, "ResourceNotFound", e.getMessage(), resourceOf(r));
        }
    }

    private ApiResponse dispatch(ApiRequest r) {
        String[] s = r.segments();
        String account = AccountName.validate(s[1]);
        if (s.length == 3) {
            if (!r.method().equals("GET")) {
                return methodNotAllowed("GET", resourceOf(r));
            }
            ObjectNode o = JSON.createObjectNode();
            ArrayNode value = o.putArray("value");
            for (Deployment d : deployments.list(account)) {
                value.add(DeploymentJson.render(d, deployments.credentialStatus(d)));
            }
            return ApiResponse.json(200, o, Account.resourceId(account) + "/deployments");
        }
        String name = DeploymentName.validate(s[3]);
        String resourceId = Deployment.resourceId(account, name);
        return switch (r.method()) {
            case "GET" -> {
                Deployment d = deployments.get(account, name);
                yield ApiResponse.json(200, DeploymentJson.render(d, deployments.credentialStatus(d)), resourceId);
            }
            case "PUT" -> put(account, name, r.body(), resourceId);
            case "DELETE" -> deployments.delete(account, name)
                    ? ApiResponse.json(200, null, resourceId)
                    : ApiResponse.json(204, null, resourceId);
            default -> methodNotAllowed("GET, PUT, DELETE", resourceId);
        };
    }

    private ApiResponse put(String account, String name, byte[] body, String resourceId) {
        DeploymentSpec spec = DeploymentJson.parsePut(name, StrictJson.parse(body));
        DeploymentService.PutResult result = deployments.put(account, name, spec);
        Deployment d = result.deployment();
        // The reference, never a value: the audit log must not become a place secrets can be read from.
        Map<String, Object> audit = new LinkedHashMap<>();
        audit.put("created", result.created());
        audit.put("upstream", d.spec().upstream().toString());
        audit.put("model", d.spec().model());
        audit.put("credential", d.spec().credential() == null ? "none" : d.spec().credential());
        audit.put("requestsPerMinute", d.spec().requestsPerMinute());
        audit.put("tokensPerMinute", d.spec().tokensPerMinute());
        return ApiResponse.json(result.created() ? 201 : 200, DeploymentJson.render(d, deployments.credentialStatus(d)), resourceId)
                .withAudit(audit);
    }

    private static String resourceOf(ApiRequest r) {
        String[] s = r.segments();
        if (!AccountName.isValid(s[1])) {
            return "/accounts";
        }
        if (s.length == 4 && DeploymentName.isValid(s[3])) {
            return Deployment.resourceId(s[1], s[3]);
        }
        return Account.resourceId(s[1]) + "/deployments";
    }

    private static ApiResponse methodNotAllowed(String allowed, String resourceId) {
        return ApiResponse.error(405, "MethodNotAllowed", "allowed methods: " + allowed, resourceId);
    }
}
