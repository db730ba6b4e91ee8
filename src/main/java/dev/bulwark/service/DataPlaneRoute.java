package dev.bulwark.service;

import dev.bulwark.account.AccountKind;

import java.util.Set;

/**
 * One data-plane operation a service offers. The pipeline picks the route after authentication and
 * checks its data action before the body is read; {@link #handle} then runs on a worker thread (it
 * may use CPU; it must still avoid the database).
 */
public interface DataPlaneRoute {

    /** HTTP method, e.g. POST. */
    String method();

    /** The path below the account's endpoint, e.g. {@code /language/:analyze-text}. */
    String path();

    /** The account kinds that offer this operation. */
    Set<AccountKind> kinds();

    /** The RBAC data action a caller needs, e.g. {@code Microsoft.CognitiveServices/accounts/Language/analyze-text/action}. */
    String dataAction();

    /** Name for audit records and metrics. */
    String operationName();

    ServiceResponse handle(ServiceRequest request);
}
