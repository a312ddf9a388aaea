package io.trainsight.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.trainsight.testing.Commands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image without Docker: the layout docker/Dockerfile builds, assembled here from the packaged
 * application — the runtime jlink'd with the Dockerfile's module list, trainsight.jar and lib/
 * without the CPU libtorch jar, the image's launcher and healthcheck, the image's environment —
 * with CPU libtorch "from the machine" (through PYTORCH_LIBRARY_PATH, PYTORCH_FLAVOR=cpu) in place
 * of the CUDA one, which cannot be installed here. Runs after {@code package} (failsafe).
 */
class ImageLayoutIT {

    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path LAUNCHER = Repo.DOCKER.resolve("bin/trainsight");
    private static final Path HEALTHCHECK = Repo.DOCKER.resolve("bin/trainsight-healthcheck");
    private static final String CPU_LIBTORCH_JAR = "pytorch-native-cpu-";
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    @TempDir static Path layout;
    private static Path home;
    private static Path libtorch;
    private static Map<String, String> imageEnv;

    @TempDir Path workspace;
    @TempDir Path userHome;

    @BeforeAll
    static void assembleTheImageLayout() throws Exception {
        Dockerfile dockerfile = Dockerfile.parse(Repo.text(DockerfileTest.FILE));
        imageEnv = dockerfile.env(dockerfile.finalStage());
        home = layout.resolve("opt/trainsight");
        Files.createDirectories(home.resolve("lib"));
        Files.copy(TARGET.resolve("trainsight.jar"), home.resolve("trainsight.jar"));
        for (Path jar : jars(TARGET.resolve("lib"))) {
            if (!jar.getFileName().toString().startsWith(CPU_LIBTORCH_JAR)) {
                Files.copy(jar, home.resolve("lib").resolve(jar.getFileName()));
            }
        }
        tool(
                "jlink",
                "--add-modules",
                jlinkModules(dockerfile),
                "--strip-debug",
                "--no-header-files",
                "--no-man-pages",
                "--output",
                home.resolve("jre").toString());
        libtorch = layout.resolve("torch/lib");
        extractCpuLibtorch(libtorch);
    }

    @Test
    void theJlinkedRuntimeHoldsEveryModuleJdepsFindsInTheApplication() throws Exception {
        Set<String> needed = new TreeSet<>();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--print-module-deps",
                                "--ignore-missing-deps",
                                "--multi-release",
                                "17"));
        for (Path jar : jars(home)) {
            args.add(withoutModuleInfo(jar).toString());
        }
        for (String module : tool("jdeps", args.toArray(String[]::new)).strip().split(",")) {
            needed.add(module.strip());
        }
        assertThat(needed).as("jdeps' answer").contains("java.base", "jdk.unsupported");

        String release = Repo.text(home.resolve("jre/release"));
        Matcher modules = Pattern.compile("MODULES=\"([^\"]*)\"").matcher(release);
        assertThat(modules.find()).isTrue();
        assertThat(List.of(modules.group(1).split(" ")))
                .as("the Dockerfile's jlink --add-modules covers what jdeps finds")
                .containsAll(needed);
        assertThat(jars(home.resolve("lib")))
                .noneMatch(j -> j.getFileName().toString().startsWith(CPU_LIBTORCH_JAR));
    }

    @Test
    void theImageTrainsWithLibtorchFromTheMachineAndWritesOnlyToTheWorkspace() throws Exception {
        Path out = workspace.resolve("runs/mlp");

        Commands.Result run =
                launch("train", "--example", "mlp", "--steps", "30", "--out", out.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(Files.readAllLines(out.resolve("steps.jsonl"))).hasSize(30);
        assertThat(run.err()).contains("PyTorch 2.7.1 engine (DJL 0.36.0) training on cpu()");
        try (Stream<Path> cached = Files.walk(workspace.resolve(".djl"))) {
            assertThat(cached.map(p -> p.getFileName().toString()))
                    .as("DJL extracted the JNI library into DJL_CACHE_DIR, in the workspace")
                    .anyMatch(name -> name.endsWith("libdjl_torch.so"));
        }
        try (Stream<Path> written = Files.list(userHome)) {
            assertThat(written).as("nothing written outside the workspace ($HOME)").isEmpty();
        }
    }

    @Test
    void servingOnAllAddressesWithoutATokenRefusesToStartWithOneLine() throws Exception {
        Commands.Result run = launch("gpus", "--serve", "--port", "0");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.err().strip().lines())
                .singleElement()
                .asString()
                .contains("--bind 0.0.0.0 is not a loopback address")
                .contains("needs a token");
    }

    @Test
    void aReadOnlyWorkspaceFailsWithOneLineBeforeTraining() throws Exception {
        Path readOnly = workspace.resolve("read-only");
        Files.createDirectories(readOnly);
        Path runDir = readOnly.resolve("runs/mlp");

        // the image's DJL cache in the read-only workspace: the launcher stops before the JVM
        Commands.Result cache =
                underReadOnly(
                        readOnly,
                        Map.of("DJL_CACHE_DIR", readOnly + "/.djl"),
                        "train",
                        "--example",
                        "mlp",
                        "--out",
                        runDir.toString());
        assertThat(cache.exitCode()).as(cache.output()).isEqualTo(2);
        assertThat(cache.err().strip().lines())
                .singleElement()
                .asString()
                .startsWith(
                        "trainsight train: DJL_CACHE_DIR " + readOnly + "/.djl is not writable");

        // the run directory in it, the cache elsewhere: the command line's own check
        Commands.Result out =
                underReadOnly(
                        readOnly,
                        Map.of(),
                        "train",
                        "--example",
                        "mlp",
                        "--out",
                        runDir.toString());
        assertThat(out.exitCode()).as(out.output()).isEqualTo(2);
        assertThat(out.err().strip().lines())
                .singleElement()
                .asString()
                .contains("--out '" + runDir + "' cannot be created")
                .contains("is not writable");
        assertThat(runDir).doesNotExist();
    }

    @Test
    void theHealthcheckIsHealthyOnlyWhileTheExporterAnswersWithTheToken() throws Exception {
        String token = "healthcheck-token-0123456789";
        Map<String, String> env = imageEnvironment();
        env.put("TRAINSIGHT_TOKEN", token);
        ProcessBuilder serve =
                new ProcessBuilder(LAUNCHER.toString(), "gpus", "--serve", "--port", "0")
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
        serve.environment().clear();
        serve.environment().putAll(env);
        Process server = serve.start();
        try {
            String port = servedPort(server.getInputStream());
            Path tokenFile = Files.writeString(workspace.resolve("token"), token + "\n");

            Commands.Result healthy =
                    healthcheck(
                            Map.of(
                                    "TRAINSIGHT_PORT",
                                    port,
                                    "TRAINSIGHT_TOKEN_FILE",
                                    tokenFile.toString()));
            assertThat(healthy.exitCode()).as(healthy.output()).isZero();

            Commands.Result wrongToken =
                    healthcheck(
                            Map.of(
                                    "TRAINSIGHT_PORT",
                                    port,
                                    "TRAINSIGHT_TOKEN",
                                    "not-the-token-0123456789"));
            assertThat(wrongToken.exitCode()).isEqualTo(1);
            assertThat(wrongToken.out()).contains("401");
        } finally {
            server.destroy();
            server.waitFor();
        }
        Commands.Result stopped = healthcheck(Map.of("TRAINSIGHT_PORT", "1"));
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.out()).contains("nothing listens");
    }

    /** Reads the exporter's start line; the launcher made it listen on 0.0.0.0. */
    private static String servedPort(InputStream stdout) throws IOException {
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8));
        String line = lines.readLine();
        assertThat(line).as("the exporter's first line").isNotNull();
        Matcher url = Pattern.compile("Serving http://0\\.0\\.0\\.0:(\\d+)/metrics").matcher(line);
        assertThat(url.find()).as(line).isTrue();
        return url.group(1);
    }

    private Commands.Result healthcheck(Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH")));
        env.putAll(extra);
        return Commands.run(List.of(HEALTHCHECK.toString()), env, Duration.ofSeconds(20));
    }

    /** Runs the launcher with the image's environment, the workspace mapped to a folder here. */
    private Commands.Result launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return Commands.run(command, imageEnvironment(), RUN_LIMIT);
    }

    /**
     * Runs the launcher with a folder read-only: a read-only bind mount in a mount namespace of its
     * own when this runs as root (root ignores permission bits), else permission bits.
     */
    private Commands.Result underReadOnly(Path dir, Map<String, String> extra, String... args)
            throws Exception {
        Map<String, String> env = imageEnvironment();
        env.putAll(extra);
        List<String> launcher = new ArrayList<>(List.of(LAUNCHER.toString()));
        launcher.addAll(List.of(args));
        boolean root =
                Commands.run(List.of("id", "-u"), null, Duration.ofSeconds(10))
                        .out()
                        .strip()
                        .equals("0");
        if (!root) {
            dir.toFile().setWritable(false, false);
            try {
                return Commands.run(launcher, env, RUN_LIMIT);
            } finally {
                dir.toFile().setWritable(true, true);
            }
        }
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "unshare",
                                "-m",
                                "sh",
                                "-c",
                                "mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\""
                                        + " \"$0\" && exec \"$@\"",
                                dir.toString()));
        command.addAll(launcher);
        Commands.Result probe =
                Commands.run(
                        List.of(
                                "unshare",
                                "-m",
                                "sh",
                                "-c",
                                "mount --bind \"$0\" \"$0\"",
                                dir.toString()),
                        null,
                        Duration.ofSeconds(10));
        assumeTrue(
                probe.exitCode() == 0,
                "running as root without mount namespaces (unshare -m: "
                        + probe.err().strip()
                        + "), so no read-only folder can be made; the check is skipped");
        return Commands.run(command, env, RUN_LIMIT);
    }

    /**
     * The image's environment (docker/Dockerfile's ENV), with /workspace mapped to the test's
     * folder, the CPU libtorch in place of the CUDA one, and $HOME (the image's user has its home
     * in the workspace) kept apart to see that nothing lands there.
     */
    private Map<String, String> imageEnvironment() {
        String volume = "/workspace";
        Map<String, String> env = new HashMap<>();
        for (Map.Entry<String, String> e : imageEnv.entrySet()) {
            env.put(e.getKey(), e.getValue().replace(volume, workspace.toString()));
        }
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", userHome.toString());
        env.put("TRAINSIGHT_HOME", home.toString());
        env.put("PYTORCH_LIBRARY_PATH", libtorch.toString());
        env.put("PYTORCH_FLAVOR", "cpu");
        env.put("TRAINSIGHT_JAVA_OPTS", "-Duser.home=" + workspace);
        return env;
    }

    private static String jlinkModules(Dockerfile dockerfile) {
        for (Dockerfile.Instruction run : dockerfile.all(dockerfile.stage("runtime"), "RUN")) {
            Matcher m = Pattern.compile("jlink --add-modules (\\S+)").matcher(run.arguments());
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("the runtime stage runs no jlink --add-modules");
    }

    /** The libraries of the CPU libtorch jar, as a pip torch's torch/lib holds them. */
    private static void extractCpuLibtorch(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path jar =
                jars(TARGET.resolve("lib")).stream()
                        .filter(j -> j.getFileName().toString().startsWith(CPU_LIBTORCH_JAR))
                        .findFirst()
                        .orElseThrow();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String name = entry.getName();
                if (!entry.isDirectory() && name.startsWith("pytorch/cpu/linux-x86_64/")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, dir.resolve(name.substring(name.lastIndexOf('/') + 1)));
                    }
                }
            }
        }
    }

    /** A copy of a jar without module-info, so jdeps reads it as a class-path archive. */
    private static Path withoutModuleInfo(Path jar) throws IOException {
        Path copy = layout.resolve("jdeps").resolve(jar.getFileName());
        Files.createDirectories(copy.getParent());
        try (ZipFile zip = new ZipFile(jar.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().endsWith("module-info.class")) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = zip.getInputStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return copy;
    }

    private static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .filter(f -> !f.startsWith(dir.resolve("jre")))
                    .sorted()
                    .toList();
        }
    }

    private static String tool(String name, String... args) {
        ToolProvider tool =
                ToolProvider.findFirst(name)
                        .orElseThrow(() -> new AssertionError(name + " is not in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = tool.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as("%s %s: %s", name, String.join(" ", args), err).isZero();
        return out.toString();
    }
}
