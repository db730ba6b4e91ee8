package dev.bulwark.cli;

import dev.bulwark.config.ConfigException;
import dev.bulwark.config.Pkcs11Settings;
import dev.bulwark.config.Settings;
import dev.bulwark.crypto.KeyAccessDeniedException;
import dev.bulwark.crypto.KeyReference;
import dev.bulwark.crypto.pkcs11.Pkcs11KeyProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Keys in the PKCS#11 HSM, managed where the HSM is: this verb opens the token itself with the same
 * settings as {@code bulwark serve} (config file, then environment), so it needs no running Bulwark
 * and no API. Keys are created sensitive and never extractable; a version is a new key object.
 */
@Command(name = "hsm", mixinStandardHelpOptions = true, description = "Create, rotate and inspect keys in the PKCS#11 HSM.",
        subcommands = {HsmCommand.Key.class})
final class HsmCommand {

    @Command(name = "key", mixinStandardHelpOptions = true, description = "HSM keys (customer-managed or service keys).",
            subcommands = {Create.class, Rotate.class, Show.class})
    static final class Key {
    }

    /** Opens the configured token; every failure is one line and exit code 2 (configuration). */
    abstract static class HsmVerb implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", description = "Config file (Java properties). Default: $BULWARK_CONFIG, if set.")
        Path config;

        @Parameters(index = "0", paramLabel = "<name>", description = "Key name (letters, digits, '_' or '-').")
        String name;

        @Override
        public Integer call() {
            try {
                Pkcs11Settings settings = Settings.load(config, ClientOptions.environment).pkcs11()
                        .orElseThrow(() -> new ConfigException("no HSM is configured: set BULWARK_PKCS11_LIBRARY, "
                                + "BULWARK_PKCS11_SLOT and BULWARK_PKCS11_PIN (see docs/hsm.md)"));
                if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,126}")) {
                    throw new ConfigException("key names are 1-127 letters, digits, '_' or '-'");
                }
                run(Pkcs11KeyProvider.open(settings));
                return 0;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 2;
            } catch (KeyAccessDeniedException | IllegalStateException e) {
                // No such key, a key that already exists, a token that refused the operation.
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 1;
            }
        }

        abstract void run(Pkcs11KeyProvider hsm);

        void print(String line) {
            spec.commandLine().getOut().println(line);
            spec.commandLine().getOut().flush();
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create version 1 of a new key.")
    static final class Create extends HsmVerb {
        @Override
        void run(Pkcs11KeyProvider hsm) {
            KeyReference k = hsm.createKey(name);
            print("Created " + k.name() + " version " + k.version() + " (label " + k.name() + "." + k.version()
                    + "; sensitive, never extractable).");
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Create the next version; older versions keep unwrapping. Then: bulwark account rewrap.")
    static final class Rotate extends HsmVerb {
        @Override
        void run(Pkcs11KeyProvider hsm) {
            KeyReference k = hsm.rotate(name);
            print("Rotated " + k.name() + " to version " + k.version() + ".");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The newest version and whether it can be used now.")
    static final class Show extends HsmVerb {
        @Override
        void run(Pkcs11KeyProvider hsm) {
            KeyReference k = hsm.current(name);
            print(k.name() + " version " + k.version() + ": " + (hsm.usable(k) ? "usable" : "NOT usable"));
        }
    }
}
