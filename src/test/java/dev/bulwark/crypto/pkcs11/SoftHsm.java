package dev.bulwark.crypto.pkcs11;

import dev.bulwark.config.Pkcs11Settings;
import dev.bulwark.config.SecretReference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private SoftHSM2 token for tests, one per JVM.
 *
 * <p>SoftHSM2 reads its configuration file from the {@code SOFTHSM2_CONF} environment variable only,
 * when the library is initialised, and SunPKCS11 loads the library into this JVM, where the
 * environment cannot be changed. So the build sets {@code SOFTHSM2_CONF} for the test JVM (surefire's
 * environmentVariables, bench/jmh.sh for benchmarks), and this fixture writes that file, pointing it
 * at a fresh token directory, before the library is first loaded. One token and one provider per
 * JVM, because a PKCS#11 module is initialised once per process: tests share it and use distinct
 * key names.
 */
public final class SoftHsm {
    public static final String PIN = "4711-test-pin";
    private static final String SO_PIN = "12345678";
    private static final List<Path> LIBRARIES = List.of(
            Path.of("/usr/lib/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"));

    private static SoftHsm instance;

    private final Path library;
    private final Path conf;
    private final long slot;
    private final long otherSlot;
    private final long removableSlot;
    private final Path pinFile;
    private final Pkcs11KeyProvider provider;

    private SoftHsm(Path library, Path conf, long slot, long otherSlot, long removableSlot, Path pinFile) {
        this.library = library;
        this.conf = conf;
        this.slot = slot;
        this.otherSlot = otherSlot;
        this.removableSlot = removableSlot;
        this.pinFile = pinFile;
        this.provider = Pkcs11KeyProvider.open(settings(PIN));
    }

    /** The JVM's token, initialised on first use. Fails (never skips) when SoftHSM2 is not installed. */
    public static synchronized SoftHsm get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public Pkcs11KeyProvider provider() {
        return provider;
    }

    public Path library() {
        return library;
    }

    public long slot() {
        return slot;
    }

    /**
     * Settings for a second token that nothing has logged in to. PKCS#11 login state is per process
     * and token, so a wrong PIN can only be tested against a token this JVM is not logged in to yet.
     */
    public Pkcs11Settings otherTokenSettings(String pin) {
        Pkcs11Settings s = settings(pin);
        return new Pkcs11Settings(s.library(), otherSlot, s.pin());
    }

    /** Settings for a third token, which {@link #removeTokenFromAnotherProcess} deletes. */
    public Pkcs11Settings removableTokenSettings() {
        Pkcs11Settings s = settings(PIN);
        return new Pkcs11Settings(s.library(), removableSlot, s.pin());
    }

    /** Deletes the third token (all its keys) with softhsm2-util, as if the HSM were unplugged. */
    public void removeTokenFromAnotherProcess() {
        run(List.of(tool("softhsm2-util", "softhsm2"), "--delete-token", "--token", "bulwark-removable"));
    }

    /** Settings for this token with the given PIN, passed as a {@code file:} secret reference. */
    public Pkcs11Settings settings(String pin) {
        try {
            Path f = Files.createTempFile(pinFile.getParent(), "pin", ".txt");
            Files.writeString(f, pin + "\n");
            return new Pkcs11Settings(library, slot,
                    SecretReference.parse("file:" + f, "pkcs11.pin").resolve(Map.of()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the test PIN file", e);
        }
    }

    /** Deletes a secret key by label from another process, as an operator with OpenSC's pkcs11-tool would. */
    public void deleteFromAnotherProcess(String label) {
        run(List.of(tool("pkcs11-tool", "opensc"), "--module", library.toString(), "--slot", Long.toString(slot),
                "--login", "--pin", PIN, "--delete-object", "--type", "secrkey", "--label", label));
    }

    /** {@code pkcs11-tool -O} for one label, as seen from another process. */
    public String describeFromAnotherProcess(String label) {
        return run(List.of(tool("pkcs11-tool", "opensc"), "--module", library.toString(), "--slot", Long.toString(slot),
                "--login", "--pin", PIN, "--list-objects", "--type", "secrkey", "--label", label));
    }

    private static SoftHsm start() {
        Path library = LIBRARIES.stream().filter(Files::isReadable).findFirst().orElseThrow(() -> new AssertionError(
                "SoftHSM2 is not installed (no libsofthsm2.so in " + LIBRARIES + "): apt-get install softhsm2 opensc"));
        String confEnv = System.getenv("SOFTHSM2_CONF");
        if (confEnv == null || confEnv.isBlank()) {
            throw new AssertionError("SOFTHSM2_CONF is not set for this JVM; the Maven build (surefire) and bench/jmh.sh set it "
                    + "to target/softhsm/softhsm2.conf, because SoftHSM2 reads it from the environment only");
        }
        try {
            Path conf = Path.of(confEnv).toAbsolutePath();
            Files.createDirectories(conf.getParent());
            Path tokens = Files.createTempDirectory(conf.getParent(), "tokens-");
            Files.writeString(conf, "directories.tokendir = " + tokens + "\n"
                    + "objectstore.backend = file\n"
                    + "log.level = ERROR\n"
                    + "slots.removable = false\n", StandardCharsets.UTF_8);
            // Both tokens before the library is loaded: SoftHSM2 lists its slots once, at initialisation.
            long slot = initToken("bulwark-test");
            long otherSlot = initToken("bulwark-other");
            long removableSlot = initToken("bulwark-removable");
            return new SoftHsm(library, conf, slot, otherSlot, removableSlot, conf.getParent().resolve("pin"));
        } catch (IOException e) {
            throw new AssertionError("cannot prepare the SoftHSM2 token directory", e);
        }
    }

    private static long initToken(String label) {
        String out = run(List.of(tool("softhsm2-util", "softhsm2"), "--init-token", "--free", "--label", label,
                "--pin", PIN, "--so-pin", SO_PIN));
        Matcher m = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
        if (!m.find()) {
            throw new AssertionError("softhsm2-util did not report the token's slot: " + out);
        }
        return Long.parseLong(m.group(1));
    }

    private static String tool(String name, String debianPackage) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return dir + "/" + name;
            }
        }
        throw new AssertionError(name + " is not installed: apt-get install " + debianPackage);
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command.getFirst() + " timed out");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError(command.getFirst() + " failed (" + p.exitValue() + "): " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command.getFirst(), e);
        }
    }

    @Override
    public String toString() {
        return "SoftHsm[" + library + " slot " + slot + ", conf " + conf + "]";
    }
}
