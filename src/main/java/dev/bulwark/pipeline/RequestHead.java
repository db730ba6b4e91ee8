package dev.bulwark.pipeline;

/**
 * The parts of an HTTP request the security stages read. An interface so stages can be called
 * directly in tests and benchmarks, without a socket (Netty's filter tests do the same).
 */
public interface RequestHead {
    String method();

    /** The path without the query, as sent (not decoded). */
    String path();

    /** The Host (or :authority) header without the port, lower-case; null if absent. */
    String host();

    /** The first value of a header, or null. Names are case-insensitive. */
    String header(CharSequence name);

    /**
     * Every value of a header, in the order received (a header may be sent several times; lists
     * split across lines are one list). Empty if absent. Read only for trusted proxies.
     */
    default java.util.List<String> headerValues(CharSequence name) {
        String v = header(name);
        return v == null ? java.util.List.of() : java.util.List.of(v);
    }

    /** How many values a header has (a repeated credential header is refused). */
    int headerCount(CharSequence name);

    /** The socket peer's IP address as text. */
    String peerAddress();

    /**
     * The socket peer's IP address, 4 or 16 bytes; null if it is not an IP address. Read only by
     * the network rules stage, and only for accounts that have rules. The caller must not modify it.
     */
    byte[] peerAddressBytes();

    /** The name of the data listener the request came in on ("data", "private"), as network rules see it. */
    String listenerName();

    /** Whether that listener is private (the private-endpoint analogue: publicNetworkAccess Disabled lets it in). */
    boolean listenerPrivate();

    /** A query parameter, or null. */
    String query(String name);
}
