package io.trainsight.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.deploy.Dockerfile.Copy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The root .dockerignore (the build context of docker/Dockerfile is the repository root): build
 * outputs, run directories and secrets stay out, everything the Dockerfile copies stays in.
 */
class DockerignoreTest {

    private final DockerIgnore ignore =
            new DockerIgnore(Repo.text(Repo.ROOT.resolve(".dockerignore")));

    @Test
    void buildOutputsRunsAndSecretsStayOutOfTheContext() {
        assertThat(
                        List.of(
                                "examples/target/trainsight.jar",
                                "gpu-monitor/target/classes/io/trainsight/gpu/GpuMonitor.class",
                                "target/x",
                                "runs/mlp/steps.jsonl",
                                "examples/runs/cnn/checkpoints/step-00000100.ckpt",
                                "somewhere/run/checkpoints/step-00000001.ckpt",
                                ".git/HEAD",
                                ".device/jre/bin/java",
                                "docker/secrets/trainsight_token"))
                .allSatisfy(path -> assertThat(ignore.excludes(path)).as(path).isTrue());
    }

    @Test
    void everythingTheDockerfileCopiesFromTheContextIsInIt() throws IOException {
        Dockerfile dockerfile = Dockerfile.parse(Repo.text(DockerfileTest.FILE));
        int copied = 0;
        for (int stage = 0; stage <= dockerfile.finalStage(); stage++) {
            for (Copy copy : dockerfile.copies(stage)) {
                if (copy.from() != null) {
                    continue;
                }
                for (String source : copy.sources()) {
                    Path path = Repo.ROOT.resolve(source);
                    assertThat(path).as("%s", copy.instruction()).exists();
                    for (Path file : sourceFiles(path)) {
                        String relative = Repo.ROOT.relativize(file).toString();
                        assertThat(ignore.excludes(relative))
                                .as(
                                        "%s copies %s, which .dockerignore leaves out",
                                        copy.instruction(), relative)
                                .isFalse();
                        copied++;
                    }
                }
            }
        }
        assertThat(copied).as("files copied from the context").isGreaterThan(20);
    }

    /** The files under a path, without build outputs (target/ folders). */
    private static List<Path> sourceFiles(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !path.relativize(f).toString().matches("(.*/)?target/.*"))
                    .toList();
        }
    }
}
