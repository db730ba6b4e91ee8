package dev.bulwark.config;

/** A listen address, {@code host:port} or {@code [v6]:port}. Port 0 means any free port. */
public record HostPort(String host, int port) {

    public static HostPort parse(String text, String settingName) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new ConfigException(settingName + " must be host:port, got '" + text + "'");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":") || host.contains("[") || host.contains("]")) {
            // "::1:8443" could be ::1 port 8443 or ::1:8443 with no port: IPv6 must be bracketed, never guessed.
            throw new ConfigException(settingName + " must put an IPv6 address in brackets, [v6]:port, got '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(settingName + " has a bad port in '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(settingName + " port out of range in '" + text + "'");
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
