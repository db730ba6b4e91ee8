package dev.bulwark.service.openai;

/**
 * Where the proxy reports each completed call, on the event loop: must not block or do I/O.
 *
 * @see dev.bulwark.usage.UsageRecorder
 */
@FunctionalInterface
public interface UsageSink {

    /**
     * @param keyId     the account key's public id when a key was used, else null
     * @param principal who called ({@link dev.bulwark.identity.Principal#describe()})
     */
    void record(String account, String deployment, String keyId, String principal, long promptTokens, long completionTokens);
}
