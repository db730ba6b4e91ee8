package dev.bulwark.cli;

import dev.bulwark.server.Bulwark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bulwark serve}: runs the data and management planes until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the data plane and the management plane (HTTPS only).",
                "Settings: --config file, then environment (BULWARK_HOME, BULWARK_DATA_LISTEN, BULWARK_MANAGEMENT_LISTEN,",
                "BULWARK_ADMIN_TOKEN, BULWARK_PUBLIC_HOST, BULWARK_BASE_DOMAIN, BULWARK_TLS_CERT, BULWARK_TLS_KEY,",
                "BULWARK_MAX_BODY_BYTES, BULWARK_MASTER_KEY)."})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", description = "Config file (Java properties). Default: $BULWARK_CONFIG, if set.")
    Path config;

    @Override
    public Integer call() throws Exception {
        Startup.Started started = Startup.start(config);
        if (started == null) {
            return 2;
        }
        Bulwark bulwark = started.bulwark();
        Runtime.getRuntime().addShutdownHook(new Thread(bulwark::close, "bulwark-shutdown"));
        bulwark.printBanner(started.settings(), System.out);
        bulwark.awaitStop();
        return 0;
    }
}
