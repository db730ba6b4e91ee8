package dev.bulwark.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One-line java.util.logging output, and libraries' chatter (connection pools starting) kept at
 * WARNING so the console shows what an operator needs. Set before the first logger is created.
 */
final class Logging {
    private static final Logger[] QUIETED = new Logger[2];

    private Logging() {
    }

    static void configure() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return; // the operator's own configuration wins
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        // Keep strong references: JUL holds loggers weakly and would forget the level.
        QUIETED[0] = Logger.getLogger("com.zaxxer.hikari");
        QUIETED[1] = Logger.getLogger("io.netty");
        for (Logger l : QUIETED) {
            l.setLevel(Level.WARNING);
        }
    }
}
