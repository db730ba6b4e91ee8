package dev.bulwark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bulwark} command. Each verb is its own class in this package. */
@Command(name = "bulwark",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Self-hosted security layer for AI services.",
        subcommands = {
                ServeCommand.class,
                DemoCommand.class,
                AccountCommand.class,
                DeploymentCommand.class,
                AuditCommand.class,
                IdentityCommand.class,
                RoleCommand.class,
                SigningKeyCommand.class,
                UsageCommand.class,
                VaultCommand.class,
                HsmCommand.class,
        })
public final class Main {

    public static void main(String[] args) {
        Logging.configure();
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs with the given output streams (for tests and embedding). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return commandLine().setOut(out).setErr(err).execute(args);
    }

    private static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
