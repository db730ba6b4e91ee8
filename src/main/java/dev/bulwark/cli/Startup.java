package dev.bulwark.cli;

import dev.bulwark.config.ConfigException;
import dev.bulwark.config.Settings;
import dev.bulwark.server.Bulwark;
import dev.bulwark.store.StoreException;

import java.nio.file.Path;

/** Loads settings and starts Bulwark for the serving verbs; a configuration problem is one line on stderr. */
final class Startup {
    record Started(Settings settings, Bulwark bulwark) {
    }

    private Startup() {
    }

    /** The running Bulwark, or null after printing why it could not start. */
    static Started start(Path configFile) {
        try {
            Settings settings = Settings.load(configFile, System.getenv());
            return new Started(settings, Bulwark.start(settings));
        } catch (ConfigException | StoreException e) {
            System.err.println("bulwark: cannot start: " + e.getMessage());
            return null;
        }
    }
}
