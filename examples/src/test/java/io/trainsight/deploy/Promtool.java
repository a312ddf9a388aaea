package io.trainsight.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prometheus' promtool, from {@code PROMTOOL} or the PATH (Debian's {@code prometheus} package;
 * {@code .ci/run} fetches it). Tests that need it are skipped, with the reason, where it is absent.
 */
final class Promtool {

    private Promtool() {}

    /** Returns promtool's path, or skips the calling test saying why. */
    static Path require() {
        String named = System.getenv("PROMTOOL");
        Optional<Path> found =
                named != null && Files.isExecutable(Path.of(named))
                        ? Optional.of(Path.of(named))
                        : Commands.onPath("promtool");
        String reason =
                "promtool is not on the PATH (nor named by PROMTOOL): install Debian's prometheus"
                        + " package, or let .ci/run fetch it; the promtool check is skipped";
        if (found.isEmpty()) {
            System.out.println(reason);
        }
        assumeTrue(found.isPresent(), reason);
        return found.get();
    }

    /** Runs promtool with arguments. */
    static Commands.Result run(Path promtool, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        return Commands.run(command, null, Duration.ofSeconds(60));
    }
}
