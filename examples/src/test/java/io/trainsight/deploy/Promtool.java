package io.trainsight.deploy;

import io.trainsight.testing.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus' promtool, from {@code PROMTOOL} or the PATH (Debian's {@code prometheus} package;
 * {@code .ci/run} fetches it). Tests that need it are skipped, with the reason, where it is absent.
 */
final class Promtool {

    private Promtool() {}

    /** Returns promtool's path, or skips the calling test saying why. */
    static Path require() {
        return Commands.require(
                "promtool",
                "install Debian's prometheus package (.ci/run fetches it); the promtool check is"
                        + " skipped");
    }

    /** Runs promtool with arguments. */
    static Commands.Result run(Path promtool, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        return Commands.run(command, null, Duration.ofSeconds(60));
    }
}
