package dev.bulwark.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code bulwark serve}: runs the data and management planes until stopped. */
@Command(name = "serve", description = "Start the data plane and the management plane.")
public final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("being written");
    }
}
