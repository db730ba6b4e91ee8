package dev.bulwark.server.tls;

import io.netty.handler.ssl.NotSslRecordException;

import javax.net.ssl.SSLException;

/**
 * How a listener's exception handler should describe a failed TLS connection in a log line.
 *
 * <p>With the JDK engine, Netty's NotSslRecordException message is a hex dump of every byte the client sent:
 * a plain-HTTP request to a TLS port puts its headers, API keys and bearer tokens included, into that message.
 * So the received bytes are never part of the description; everything else keeps its type and message.
 */
public final class TlsFailures {
    private TlsFailures() {
    }

    /** A one-line description safe to log at any level. */
    public static String loggable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NotSslRecordException) {
                return "not a TLS connection (plain HTTP to the HTTPS port?); closed without an answer";
            }
        }
        if (failure instanceof SSLException) {
            return "TLS handshake failed: " + failure.getMessage();
        }
        return failure.getClass().getName() + ": " + failure.getMessage();
    }
}
