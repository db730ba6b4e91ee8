package dev.bulwark.service;

import dev.bulwark.account.AccountKind;

import java.util.List;
import java.util.Set;

/**
 * One data-plane operation a service offers. The pipeline picks the route after authentication and
 * checks its data action before the body is read. What runs then depends on the kind of route:
 * a {@link WorkerRoute} computes a whole answer on a worker thread; an {@link EventLoopRoute}
 * (the model proxy) streams on the event loop and must never block.
 */
public sealed interface DataPlaneRoute permits WorkerRoute, EventLoopRoute {

    /** HTTP method, e.g. POST. */
    String method();

    /**
     * The path below the account's endpoint, e.g. {@code /language/:analyze-text}. A segment
     * written {@code {name}} matches any one non-empty segment (see {@link PathTemplate}).
     */
    String path();

    /** The account kinds that offer this operation. */
    Set<AccountKind> kinds();

    /** The RBAC data action a caller needs, e.g. {@code Microsoft.CognitiveServices/accounts/Language/analyze-text/action}. */
    String dataAction();

    /** Name for audit records and metrics. */
    String operationName();

    /**
     * The request-body fields that carry URLs the service (or the model behind it) may fetch, for
     * the data-loss-prevention stage. Empty when the operation takes none.
     */
    default List<UrlField> urlFields() {
        return List.of();
    }
}
