package io.trainsight.bench.trainer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A Python PyTorch process that trains the same MLP on command, so its blocks can alternate with
 * the JVM's inside one benchmark run. Uses Debian's {@code /usr/bin/python3} with {@code
 * python3-torch} and {@code OPENBLAS_NUM_THREADS=1}.
 */
final class PythonTorch implements AutoCloseable {

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
     */
    static PythonTorch start(Path script, String python) {
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(python, script.toString())
                            .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("OPENBLAS_NUM_THREADS", "1");
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

    /** Trains a fresh MLP 784-hidden-10 for the given steps and returns its steps per second. */
    double run(int hidden, int batch, int steps) throws IOException {
        commands.println(hidden + " " + batch + " " + steps);
        String line = results.readLine();
        if (line == null) {
            throw new IOException("The PyTorch process ended");
        }
        return Double.parseDouble(line.trim());
    }

    @Override
    public void close() {
        commands.close();
        process.destroy();
    }
}
