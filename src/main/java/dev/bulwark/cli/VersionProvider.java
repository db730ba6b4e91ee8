package dev.bulwark.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest (unknown when run from classes). */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"bulwark " + (v == null ? "(development build)" : v)};
    }
}
