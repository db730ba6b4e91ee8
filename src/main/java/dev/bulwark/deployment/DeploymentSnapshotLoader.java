package dev.bulwark.deployment;

import dev.bulwark.config.ConfigException;
import dev.bulwark.config.SecretReference;
import dev.bulwark.config.SecretValue;
import dev.bulwark.snapshot.DeploymentView;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Builds the snapshot's deployments inside the snapshot's read transaction, resolving each
 * credential reference here, off the hot path, so the proxy only ever reads a resolved value.
 *
 * <p>A reference that does not resolve (variable unset, file unreadable, a file in Bulwark's own
 * state directory, a value no HTTP header can carry) must not take the snapshot down with it: every
 * other account and deployment would stop working for one typo. That deployment gets no credential
 * and a {@code credentialProblem} saying why (it names the reference, never a value), which the
 * management API shows as {@code credentialStatus}; a WARNING is logged with the same safe text.
 */
public final class DeploymentSnapshotLoader {
    private static final Logger LOG = Logger.getLogger(DeploymentSnapshotLoader.class.getName());

    /** Kernel views: /proc/self/environ alone would hand over every secret in Bulwark's environment. */
    private static final List<Path> SYSTEM_DIRECTORIES = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));
    /** A credential is a line of text; anything bigger is a mistake (or /dev/zero behind a link). */
    static final long MAX_FILE_BYTES = 64 * 1024;

    private final Map<String, String> environment;
    private final dev.bulwark.config.VaultSecretReader vault;
    private final List<Path> protectedDirectories;
    private final DeploymentStore store = new DeploymentStore();
    /** Problems already warned about, so that every later refresh does not repeat them. Guarded by this. */
    private Map<String, String> reported = Map.of();

    /**
     * @param environment        where {@code env:} references are looked up ({@code System.getenv()} in production)
     * @param protectedDirectory Bulwark's state directory (master key, admin token, TLS key): {@code file:}
     *                           references into it are refused, as into /proc, /sys and /dev; null when
     *                           there is no state directory to protect
     */
    public DeploymentSnapshotLoader(Map<String, String> environment, Path protectedDirectory) {
        this(environment, protectedDirectory, null);
    }

    /** @param vault where {@code vault:} references are read; null refuses them (no vault) */
    public DeploymentSnapshotLoader(Map<String, String> environment, Path protectedDirectory, dev.bulwark.config.VaultSecretReader vault) {
        this.environment = Map.copyOf(environment);
        this.vault = vault;
        List<Path> dirs = new ArrayList<>(SYSTEM_DIRECTORIES);
        if (protectedDirectory != null) {
            dirs.add(realOrAbsolute(protectedDirectory));
        }
        this.protectedDirectories = List.copyOf(dirs);
    }

    /** account name -> deployment name -> view. */
    public synchronized Map<String, Map<String, DeploymentView>> load(Connection c) throws SQLException {
        Map<String, Map<String, DeploymentView>> out = new HashMap<>();
        Map<String, String> problems = new HashMap<>();
        for (Deployment d : store.all(c)) {
            DeploymentSpec s = d.spec();
            SecretValue credential = null;
            String problem = null;
            if (s.credential() != null) {
                try {
                    credential = resolve(s.credential());
                } catch (DeploymentValidationException | ConfigException e) {
                    problem = e.getMessage();
                    String key = d.account() + "/" + d.name() + " " + s.credential();
                    problems.put(key, problem);
                    if (!problem.equals(reported.get(key))) {
                        LOG.warning("deployment " + d.account() + "/" + d.name() + ": upstream credential " + s.credential()
                                + " not usable (" + problem + "); requests to it are refused (502) until this is fixed");
                    }
                }
            }
            DeploymentView view = new DeploymentView(d.account(), d.name(), s.upstream(), s.model(), credential, problem,
                    s.connectTimeoutMs(), s.timeoutMs(), s.requestsPerMinute(), s.tokensPerMinute(), s.inlineRemoteImages());
            out.computeIfAbsent(d.account(), a -> new HashMap<>()).put(d.name(), view);
        }
        reported = problems;
        return out;
    }

    /** Resolves a stored reference; every failure message is safe to show and log. */
    SecretValue resolve(String reference) {
        SecretReference ref = CredentialReference.parse(reference);
        if (ref instanceof SecretReference.FromFile f) {
            checkFile(f.file());
        }
        if (ref instanceof SecretReference.FromVault && vault == null) {
            throw new ConfigException("this Bulwark has no vault to read " + reference + " from");
        }
        SecretValue value = ref.resolve(environment, vault);
        String v = value.reveal();
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch < 0x20 || ch > 0x7e) {
                throw new ConfigException("the value from " + value.source() + " holds characters an HTTP header cannot carry "
                        + "(control or non-ASCII characters)");
            }
        }
        return value;
    }

    private void checkFile(Path file) {
        Path real = realOrAbsolute(file);
        for (Path dir : protectedDirectories) {
            if (real.startsWith(dir)) {
                throw new ConfigException("file " + file + " is inside " + dir + ", which holds Bulwark's own or the system's "
                        + "secrets; it cannot be an upstream credential");
            }
        }
        try {
            if (Files.exists(real) && (!Files.isRegularFile(real) || Files.size(real) > MAX_FILE_BYTES)) {
                throw new ConfigException("file " + file + " is not a regular file of at most " + MAX_FILE_BYTES + " bytes");
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read secret file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** Links followed where the file exists, so a link into the state directory is caught too. */
    private static Path realOrAbsolute(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
