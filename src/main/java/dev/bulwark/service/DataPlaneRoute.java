package dev.bulwark.service;

import dev.bulwark.account.AccountKind;
import dev.bulwark.pipeline.RequestContext;

import java.util.Set;

/**
 * One data-plane operation a service offers. The router calls {@link #handle} only after every
 * security stage has passed, on a worker thread (so it may use CPU; it must still avoid the
 * database).
 */
public interface DataPlaneRoute {

    /** HTTP method, e.g. POST. */
    String method();

    /** The path below the account's endpoint, e.g. {@code /language/:analyze-text}. */
    String path();

    /** The account kinds that offer this operation. */
    Set<AccountKind> kinds();

    /** Name for audit records and metrics. */
    String operationName();

    ServiceResponse handle(RequestContext context, byte[] body);
}
