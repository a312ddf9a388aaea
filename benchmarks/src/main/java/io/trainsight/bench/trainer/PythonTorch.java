package io.trainsight.bench.trainer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Python PyTorch process that trains on command, so its blocks can alternate with the JVM's
 * inside one benchmark run. Uses Debian's {@code /usr/bin/python3} with {@code python3-torch} and
 * {@code OPENBLAS_NUM_THREADS=1}; its intra-op threads are set per configuration ({@link
 * #threads}).
 */
final class PythonTorch implements AutoCloseable {

    /** Debian's Python, which has python3-torch. */
    static final String PYTHON = "/usr/bin/python3";

    /** The script the process runs. */
    static final Path SCRIPT = Path.of("benchmarks", "python", "torch_mlp.py");

    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader results;
    private final String version;

    private PythonTorch(Process process) throws IOException {
        this.process = process;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.results =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ready = results.readLine();
        if (ready == null || !ready.startsWith("ready")) {
            throw new IOException("The PyTorch process did not start: " + ready);
        }
        this.version = ready.substring("ready ".length());
    }

    /**
     * Starts the process, or returns null with the reason printed when Python or torch is missing.
     *
     * @param environment variables added to the process's environment (e.g. glibc's MALLOC_*)
     * @return the process, or null
     */
    static PythonTorch start(Map<String, String> environment) {
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(PYTHON, SCRIPT.toString())
                            .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("OPENBLAS_NUM_THREADS", "1");
            builder.environment().putAll(environment);
            return new PythonTorch(builder.start());
        } catch (IOException e) {
            System.out.println(
                    "Python PyTorch left out: "
                            + e.getMessage()
                            + " (apt-get install python3-torch libopenblas0-pthread)");
            return null;
        }
    }

    String version() {
        return version;
    }

    /**
     * Sets torch's intra-op threads and OpenBLAS's.
     *
     * @param threads the threads
     * @return what {@code torch.get_num_threads()} then says, and OpenBLAS's count
     */
    String threads(int threads) throws IOException {
        return ask("threads " + threads);
    }

    /** Trains a fresh MLP 784-hidden-10 for the given steps and returns its steps per second. */
    double mlp(int hidden, int batch, int steps) throws IOException {
        return Double.parseDouble(ask("mlp " + hidden + " " + batch + " " + steps));
    }

    /**
     * Trains a fresh cnn on the Fashion-MNIST files in a folder; returns its steps per second.
     *
     * @param channelsLast whether each batch is made {@code torch.channels_last} first
     */
    double cnn(Path folder, int batch, int steps, boolean channelsLast) throws IOException {
        return Double.parseDouble(
                ask(
                        "cnn "
                                + folder
                                + " "
                                + batch
                                + " "
                                + steps
                                + (channelsLast ? " channels_last" : "")));
    }

    /** Times a float (m × k) @ (k × n) product; returns GFLOP/s. */
    double matmul(int m, int k, int n) throws IOException {
        return Double.parseDouble(ask("matmul " + m + " " + k + " " + n));
    }

    private String ask(String command) throws IOException {
        commands.println(command);
        String line = results.readLine();
        if (line == null) {
            throw new IOException("The PyTorch process ended on: " + command);
        }
        return line.trim();
    }

    @Override
    public void close() {
        commands.close();
        process.destroy();
    }
}
