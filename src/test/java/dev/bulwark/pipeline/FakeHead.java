package dev.bulwark.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request head for calling stages directly, without a socket. */
public record FakeHead(String method, String path, String host, List<Map.Entry<String, String>> headers,
                       String peerAddress, Map<String, String> queryParams) implements RequestHead {

    public static FakeHead post(String path) {
        return new FakeHead("POST", path, "localhost", List.of(), "192.0.2.10", Map.of());
    }

    public FakeHead withHeader(String name, String value) {
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(Map.entry(name, value));
        return new FakeHead(method, path, host, List.copyOf(h), peerAddress, queryParams);
    }

    public FakeHead withHost(String h) {
        return new FakeHead(method, path, h, headers, peerAddress, queryParams);
    }

    @Override
    public String header(CharSequence name) {
        for (var e : headers) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toString().toLowerCase(Locale.ROOT))) {
                return e.getValue();
            }
        }
        return null;
    }

    @Override
    public List<String> headerValues(CharSequence name) {
        List<String> out = new ArrayList<>();
        for (var e : headers) {
            if (e.getKey().equalsIgnoreCase(name.toString())) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    @Override
    public int headerCount(CharSequence name) {
        int n = 0;
        for (var e : headers) {
            if (e.getKey().equalsIgnoreCase(name.toString())) {
                n++;
            }
        }
        return n;
    }

    public FakeHead withPeer(String address) {
        return new FakeHead(method, path, host, headers, address, queryParams);
    }

    @Override
    public byte[] peerAddressBytes() {
        return dev.bulwark.network.IpAddress.parseOrNull(peerAddress);
    }

    /** The public data listener: the stages' tests do not vary it (the end-to-end tests do). */
    @Override
    public String listenerName() {
        return "data";
    }

    @Override
    public boolean listenerPrivate() {
        return false;
    }

    @Override
    public String query(String name) {
        return queryParams.get(name);
    }
}
