package dev.bulwark.config;

/** Invalid configuration. Startup stops with this message; nothing is quietly corrected. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
