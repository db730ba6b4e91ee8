package dev.bulwark.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses. The fetcher calls it exactly once per hop and connects only to
 * an address it returned, so a name cannot answer one address to the check and another to the
 * connection (DNS rebinding). It may block: the fetcher calls it on a worker thread.
 */
@FunctionalInterface
public interface Resolver {

    /** Every address {@code host} has now; an empty list or an exception means it has none. */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The operating system's resolver (with the JDK's address cache in front of it). */
    static Resolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
