package dev.bulwark.server;

import dev.bulwark.network.IpAddress;
import dev.bulwark.pipeline.RequestHead;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

import java.util.Locale;

/** {@link RequestHead} over a Vert.x request. */
final class VertxRequestHead implements RequestHead {
    private final HttpServerRequest request;
    private final DataListener listener;

    VertxRequestHead(HttpServerRequest request, DataListener listener) {
        this.request = request;
        this.listener = listener;
    }

    @Override
    public String listenerName() {
        return listener.name();
    }

    @Override
    public boolean listenerPrivate() {
        return listener.isPrivate();
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        String p = request.path();
        return p == null ? "/" : p;
    }

    @Override
    public String host() {
        HostAndPort authority = request.authority();
        return authority == null ? null : authority.host().toLowerCase(Locale.ROOT);
    }

    @Override
    public String header(CharSequence name) {
        return request.headers().get(name);
    }

    @Override
    public java.util.List<String> headerValues(CharSequence name) {
        return request.headers().getAll(name);
    }

    @Override
    public int headerCount(CharSequence name) {
        return request.headers().getAll(name).size();
    }

    @Override
    public String peerAddress() {
        SocketAddress a = request.connection().remoteAddress();
        if (a == null) {
            return "unknown";
        }
        String text = a.hostAddress();
        if (text.indexOf(':') < 0) {
            return text;
        }
        // The JDK writes IPv6 in full ("0:0:0:0:0:0:0:1"); audit records and logs use the form rules are written in ("::1").
        byte[] bytes = IpAddress.parseOrNull(text);
        return bytes == null ? text : IpAddress.format(bytes);
    }

    /**
     * Vert.x's public API gives the peer only as text, so it is parsed here (a few dozen character
     * comparisons and one small array). The stage asks only for accounts with network rules.
     */
    @Override
    public byte[] peerAddressBytes() {
        SocketAddress a = request.connection().remoteAddress();
        return a == null || !a.isInetSocket() ? null : IpAddress.parseOrNull(a.hostAddress());
    }

    @Override
    public String query(String name) {
        return request.getParam(name);
    }
}
