package io.trainsight.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar's manifest. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = TrainsightCli.class.getPackage().getImplementationVersion();
        return new String[] {"trainsight " + (version == null ? "(development build)" : version)};
    }
}
