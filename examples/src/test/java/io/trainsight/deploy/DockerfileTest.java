package io.trainsight.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.deploy.Dockerfile.Copy;
import io.trainsight.deploy.Dockerfile.Instruction;
import io.trainsight.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conventions of docker/Dockerfile, read from the file and compared with the POMs. */
class DockerfileTest {

    static final Path FILE = Repo.DOCKER.resolve("Dockerfile");

    private final Dockerfile dockerfile = Dockerfile.parse(Repo.text(FILE));
    private final int image = dockerfile.finalStage();
    private final Map<String, String> env = dockerfile.env(image);

    @Test
    void everyBaseImageIsPinnedToAVersion() {
        List<Instruction> froms = dockerfile.all("FROM");
        assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
        for (Instruction from : froms) {
            String image =
                    from.words().stream()
                            .filter(w -> !w.startsWith("--"))
                            .findFirst()
                            .orElseThrow();
            if (dockerfile.stageNames().contains(image)) {
                continue; // an earlier stage
            }
            assertThat(image)
                    .as("%s: a base image with a version tag (or a digest), never latest", from)
                    .matches("[^:@\\s]+(:[^:@\\s]*\\d[^:@\\s]*)?(@sha256:[0-9a-f]{64})?")
                    .containsAnyOf(":", "@sha256:")
                    .doesNotContain(":latest");
        }
        assertThat(Repo.text(FILE)).as("no latest tag anywhere").doesNotContain(":latest");
    }

    @Test
    void theImageRunsAsAFixedNonRootUserWhoseHomeIsTheWorkspace() {
        Instruction user = dockerfile.last(image, "USER").orElseThrow(() -> missing("USER"));
        String uid = user.words().get(0).split(":")[0];
        assertThat(uid)
                .as("%s: a numeric uid, so Kubernetes can check runAsNonRoot", user)
                .matches("\\d+")
                .isNotEqualTo("0");
        String created = runs(image);
        assertThat(created)
                .as("the image creates the user %s with its home in the workspace", uid)
                .containsPattern("useradd[^&]*--uid " + uid + "\\b")
                .containsPattern("useradd[^&]*--home-dir " + workspace() + "\\b")
                .containsPattern("chown " + uid + "(:\\d+)? " + workspace() + "\\b");
        assertThat(user.line())
                .as("USER comes after every RUN of the image, so nothing later runs as root")
                .isGreaterThan(
                        dockerfile.all(image, "RUN").stream()
                                .mapToInt(Instruction::line)
                                .max()
                                .orElse(0));
    }

    @Test
    void theImageWritesOnlyToTheWorkspaceVolume() {
        String workspace = workspace();
        assertThat(dockerfile.last(image, "WORKDIR").orElseThrow(() -> missing("WORKDIR")).words())
                .containsExactly(workspace);
        assertThat(env.get("DJL_CACHE_DIR")).as("DJL's cache").startsWith(workspace + "/");
        assertThat(env.get("ENGINE_CACHE_DIR"))
                .as("DJL's engine cache")
                .startsWith(workspace + "/");
    }

    @Test
    void theHealthcheckAsksTheExportersHealthzWithTheToken() {
        Instruction healthcheck =
                dockerfile.last(image, "HEALTHCHECK").orElseThrow(() -> missing("HEALTHCHECK"));
        assertThat(healthcheck.arguments()).doesNotStartWith("NONE");
        String command = healthcheck.arguments().substring(healthcheck.arguments().indexOf("CMD"));
        Instruction cmd =
                new Instruction(image, "CMD", command.substring(3).strip(), healthcheck.line());
        String script = cmd.execForm().get(0);
        Path source = copiedScript(script);
        String text = Repo.text(source);
        assertThat(text)
                .as("%s asks the exporter", source)
                .contains("GET /healthz")
                .contains("Authorization: Bearer")
                .contains("TRAINSIGHT_TOKEN_FILE")
                .contains("TRAINSIGHT_TOKEN")
                .contains("TRAINSIGHT_PORT");
        assertThat(env.get("TRAINSIGHT_PORT"))
                .as("the port the healthcheck asks is the port the image exposes")
                .isEqualTo(exposedPort());
    }

    @Test
    void theEntrypointIsTheTrainsightCommandLine() {
        List<String> entrypoint =
                dockerfile
                        .last(image, "ENTRYPOINT")
                        .orElseThrow(() -> missing("ENTRYPOINT"))
                        .execForm();
        assertThat(entrypoint).hasSize(1);
        Path launcher = copiedScript(entrypoint.get(0));
        String home = env.get("TRAINSIGHT_HOME");
        assertThat(Repo.text(launcher))
                .as("%s runs the jlink'd java with the jar in TRAINSIGHT_HOME", launcher)
                .contains("exec \"$home/jre/bin/java\"")
                .contains("-jar \"$home/trainsight.jar\"");
        List<String> destinations =
                dockerfile.copies(image).stream().map(Copy::destination).toList();
        assertThat(destinations)
                .as("TRAINSIGHT_HOME (%s) holds the runtime, the jar and its lib/", home)
                .contains(home + "/jre/", home + "/trainsight.jar", home + "/lib/");
        Copy jre = copyTo(home + "/jre/");
        assertThat(jre.from()).isEqualTo("runtime");
        assertThat(runs(dockerfile.stage("runtime"))).contains("jlink --add-modules ");
    }

    @Test
    void theUsersJavaOptionsAddToTheImagesInsteadOfReplacingThem(@TempDir Path home)
            throws Exception {
        Path java = Files.createDirectories(home.resolve("jre/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Map<String, String> run = new HashMap<>(env);
        run.put("PATH", System.getenv("PATH"));
        run.put("TRAINSIGHT_HOME", home.toString());
        run.remove("DJL_CACHE_DIR");
        run.put("TRAINSIGHT_JAVA_OPTS", "-Xmx2g -Dmine=1");

        Commands.Result result =
                Commands.run(
                        List.of(Repo.DOCKER.resolve("bin/trainsight").toString(), "--version"),
                        run,
                        Duration.ofSeconds(20));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(env).doesNotContainKey("TRAINSIGHT_JAVA_OPTS");
        List<String> image = List.of(env.get("TRAINSIGHT_IMAGE_JAVA_OPTS").split("\\s+"));
        List<String> args = result.out().strip().lines().toList();
        List<String> expected = new ArrayList<>(image);
        expected.addAll(
                List.of("-Xmx2g", "-Dmine=1", "-jar", home + "/trainsight.jar", "--version"));
        assertThat(args)
                .as("the image's options, then the user's, then the jar")
                .containsExactlyElementsOf(expected);
    }

    @Test
    void theServedPortIsExposedAndTheImageBindsItWithAToken() {
        assertThat(exposedPort()).isEqualTo("9400");
        Path launcher = copiedScript("trainsight");
        assertThat(Repo.text(launcher))
                .as("--serve without --bind listens beyond loopback in the image")
                .contains("--bind \"${TRAINSIGHT_BIND:-0.0.0.0}\"");
    }

    @Test
    void libtorchIsTheCudaBuildOfTheVersionThePomNames() {
        String pytorch = Repo.pomProperty("pytorch.version");
        String flavor = env.get("PYTORCH_FLAVOR");
        assertThat(env.get("PYTORCH_VERSION")).as("PYTORCH_VERSION vs the POM").isEqualTo(pytorch);
        assertThat(flavor).as("PYTORCH_FLAVOR").matches("cu\\d{3}");

        int torch = dockerfile.stage("torch");
        String install = runs(torch);
        Matcher pin = Pattern.compile("torch==(\\S+?)\\+(cu\\d+)").matcher(install);
        assertThat(pin.find()).as("the torch stage pins torch==VERSION+FLAVOR").isTrue();
        assertThat(pin.group(1)).as("pip's torch vs the POM").isEqualTo(pytorch);
        assertThat(pin.group(2)).as("pip's CUDA build vs PYTORCH_FLAVOR").isEqualTo(flavor);
        assertThat(install).contains("https://download.pytorch.org/whl/" + flavor + " ");

        String cuda = flavor.substring(2, 4) + "." + flavor.substring(4);
        for (int stage : List.of(torch, image)) {
            String base = dockerfile.all(stage, "FROM").get(0).words().get(0);
            assertThat(base)
                    .as("the CUDA base of stage %d matches %s", stage, flavor)
                    .startsWith("nvidia/cuda:" + cuda + ".");
        }

        Copy lib = copyTo(env.get("PYTORCH_LIBRARY_PATH") + "/");
        assertThat(lib.from()).isEqualTo("torch");
        assertThat(lib.sources()).singleElement().asString().endsWith("/torch/lib/");
        Copy nvidia =
                copyTo(
                        Path.of(env.get("PYTORCH_LIBRARY_PATH")).resolve("../../nvidia").normalize()
                                + "/");
        assertThat(nvidia.from())
                .as("the CUDA libraries torch/lib finds through its RPATH ($ORIGIN/../../nvidia)")
                .isEqualTo("torch");
    }

    @Test
    void nothingDownloadsAtRunTimeAndTheCpuLibtorchStaysOut() {
        assertThat(env.get("DJL_OFFLINE")).isEqualTo("true");
        assertThat(runs(dockerfile.stage("build")))
                .as("the 111 MB CPU libtorch jar is removed before lib/ is copied")
                .containsPattern("rm [^&]*examples/target/lib/pytorch-native-cpu-\\*\\.jar");
    }

    @Test
    void nvmlAndCudaAreVisibleInTheContainer() {
        assertThat(List.of(env.get("NVIDIA_DRIVER_CAPABILITIES").split(",")))
                .as("NVML needs utility, the engine compute")
                .contains("utility", "compute");
    }

    @Test
    void theBuildStageBuildsEveryModuleTheCliNeedsWithTheWrapper() {
        int build = dockerfile.stage("build");
        List<Instruction> mavenRuns =
                dockerfile.all(build, "RUN").stream()
                        .filter(r -> r.arguments().contains("./mvnw "))
                        .toList();
        assertThat(mavenRuns).as("the wrapper builds").isNotEmpty();
        for (Instruction run : mavenRuns) {
            assertThat(run.arguments()).contains(" package -pl examples -am ");
        }
        int firstMaven = mavenRuns.get(0).line();
        List<String> beforeMaven = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Copy copy : dockerfile.copies(build)) {
            (copy.instruction().line() < firstMaven ? beforeMaven : sources).addAll(copy.sources());
        }
        assertThat(beforeMaven)
                .as("the wrapper and every POM come first, for the dependency layer")
                .contains(".mvn/", "mvnw", "pom.xml");
        for (String module : Repo.modules()) {
            assertThat(beforeMaven)
                    .as("the POM of module %s", module)
                    .contains(module + "/pom.xml");
        }
        for (String module : Repo.moduleClosure("examples")) {
            assertThat(sources).as("the sources of module %s", module).contains(module + "/src/");
        }
    }

    private String workspace() {
        Instruction volume = dockerfile.last(image, "VOLUME").orElseThrow(() -> missing("VOLUME"));
        return volume.words().get(0);
    }

    private String exposedPort() {
        return dockerfile.last(image, "EXPOSE").orElseThrow(() -> missing("EXPOSE")).words().get(0);
    }

    private String runs(int stage) {
        StringBuilder all = new StringBuilder();
        for (Instruction run : dockerfile.all(stage, "RUN")) {
            all.append(run.arguments()).append('\n');
        }
        return all.toString();
    }

    private Copy copyTo(String destination) {
        return dockerfile.copies(image).stream()
                .filter(c -> c.destination().equals(destination))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("the image copies nothing to " + destination));
    }

    /** The file of docker/bin/ that the image installs on the PATH under a name. */
    private Path copiedScript(String name) {
        for (Copy copy : dockerfile.copies(image)) {
            if (copy.from() == null && copy.destination().equals("/usr/local/bin/")) {
                for (String source : copy.sources()) {
                    if (Path.of(source).getFileName().toString().equals(name)) {
                        Path file = Repo.ROOT.resolve(source);
                        assertThat(file).as("%s", copy.instruction()).isRegularFile();
                        assertThat(Files.isExecutable(file)).as("%s is executable", file).isTrue();
                        return file;
                    }
                }
            }
        }
        throw new AssertionError("the image installs no '" + name + "' into /usr/local/bin/");
    }

    private AssertionError missing(String keyword) {
        return new AssertionError("the image (the last stage of " + FILE + ") has no " + keyword);
    }
}
