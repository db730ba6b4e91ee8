package dev.bulwark.server.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names a generated certificate must cover, and how to tell an IP literal from a DNS name (they go into
 * different subject-alternative-name types, and a client checks only the type matching what it dialled).
 */
final class HostNames {
    private static final System.Logger LOG = System.getLogger(HostNames.class.getName());

    /** Always covered, so local clients and health checks work whatever the machine is called. */
    static final List<String> ALWAYS = List.of("localhost", "127.0.0.1", "::1");

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private HostNames() {
    }

    /** {@link #ALWAYS}, this machine's host name, then the extra names; normalised, without duplicates. */
    static List<String> forThisMachine(List<String> extraNames) {
        // Keyed by normalised form so "::1" and "0:0:0:0:0:0:0:1" are one name; the first spelling is kept.
        Map<String, String> names = new LinkedHashMap<>();
        ALWAYS.forEach(name -> names.putIfAbsent(normalise(name), name));
        machineHostName().ifPresent(name -> names.putIfAbsent(name, name));
        for (String extra : extraNames) {
            String normalised = normalise(extra);
            names.putIfAbsent(normalised, normalised);
        }
        return List.copyOf(names.values());
    }

    /** Lower-case DNS names and canonical IP text; a name that is neither is a configuration error. */
    static String normalise(String name) {
        if (name == null || name.isBlank()) {
            throw new TlsConfigurationException("an empty TLS host name was given");
        }
        String trimmed = name.trim();
        if (isIpLiteral(trimmed)) {
            return address(trimmed).getHostAddress();
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (!isDnsName(lower)) {
            throw new TlsConfigurationException("TLS host name '" + name + "' is neither a DNS name nor an IP address");
        }
        return lower;
    }

    static boolean isIpLiteral(String name) {
        var v4 = IPV4.matcher(name);
        if (v4.matches()) {
            for (int group = 1; group <= 4; group++) {
                if (Integer.parseInt(v4.group(group)) > 255) {
                    return false;
                }
            }
            return true;
        }
        return IPV6.matcher(name).matches();
    }

    /** Parses an IP literal; only call after {@link #isIpLiteral}, which guarantees no DNS lookup happens. */
    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new TlsConfigurationException("'" + literal + "' is not a valid IP address", e);
        }
    }

    private static boolean isDnsName(String name) {
        String rest = name.startsWith("*.") ? name.substring(2) : name;
        if (rest.isEmpty() || rest.length() > 253) {
            return false;
        }
        for (String label : rest.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> machineHostName() {
        String hostName;
        try {
            hostName = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // Common in minimal containers whose name is not in /etc/hosts. The certificate still covers localhost;
            // the operator can add the name explicitly, so this is worth a warning, not a failed boot.
            LOG.log(System.Logger.Level.WARNING, "cannot determine this machine''s host name for the self-signed TLS"
                    + " certificate ({0}); add it to the TLS host names if clients use it", e.getMessage());
            return Optional.empty();
        }
        String lower = hostName.toLowerCase(Locale.ROOT);
        if (isIpLiteral(lower) || !isDnsName(lower)) {
            LOG.log(System.Logger.Level.WARNING, "this machine''s host name ''{0}'' is not a valid DNS name; leaving it out"
                    + " of the self-signed TLS certificate", hostName);
            return Optional.empty();
        }
        return Optional.of(lower);
    }
}
