package io.trainsight.cli.train;

import io.trainsight.insight.timeline.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT (Ctrl-C, and how Kubernetes evicts a pod) during {@code trainsight train}: the
 * first asks the training loop to stop after the step in flight, so the run saves that step, its
 * step log and its report; the second exits at once. The command then exits with 128 plus the
 * signal's number: 130 after SIGINT, 143 after SIGTERM, as a shell reports a process the signal
 * ended.
 */
final class StopSignals implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(StopSignals.class);
    private static final List<String> NAMES = List.of("TERM", "INT");

    private final PrintWriter err;
    private final IntConsumer halt;
    private final AtomicReference<String> received = new AtomicReference<>();
    private final AtomicReference<Runnable> target = new AtomicReference<>();
    private final List<Installed> installed = new ArrayList<>();

    private record Installed(Signal signal, SignalHandler previous) {}

    StopSignals(PrintWriter err, IntConsumer halt) {
        this.err = err;
        this.halt = halt;
    }

    /**
     * Takes over SIGTERM and SIGINT until {@link #close()}.
     *
     * @param err where the line saying what happens goes
     * @return the handler
     */
    static StopSignals install(PrintWriter err) {
        StopSignals signals = new StopSignals(err, code -> Runtime.getRuntime().halt(code));
        for (String name : NAMES) {
            try {
                Signal signal = new Signal(name);
                SignalHandler previous = Signal.handle(signal, s -> signals.onSignal(name));
                signals.installed.add(new Installed(signal, previous));
            } catch (IllegalArgumentException e) {
                // the JVM keeps the signal (java -Xrs): it then ends the run the default way
                logger.debug("Cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        return signals;
    }

    /**
     * Handles a signal: the first one stops the target (now, or once attached), a later one exits.
     *
     * @param name the signal's name, {@code TERM} or {@code INT}
     */
    void onSignal(String name) {
        if (!received.compareAndSet(null, name)) {
            err.println(
                    "trainsight train: SIG"
                            + name
                            + " again: exiting now, without saving the step");
            err.flush();
            halt.accept(exitCode(name));
            return;
        }
        err.println(
                "trainsight train: SIG"
                        + name
                        + ": stopping after the step in flight and saving it (send it again to"
                        + " exit at once)");
        err.flush();
        Runnable stop = target.get();
        if (stop != null) {
            stop.run();
        }
    }

    /**
     * Names what a signal stops: the training loop's {@code requestStop}, run at once if a signal
     * came before.
     *
     * @param stop asks the loop to stop; thread-safe
     */
    void attach(Runnable stop) {
        target.set(stop);
        if (received.get() != null) {
            stop.run();
        }
    }

    /** Returns whether a signal came. */
    boolean received() {
        return received.get() != null;
    }

    /** Returns the name of the signal that came, such as {@code SIGTERM}, or null. */
    String signalName() {
        String name = received.get();
        return name == null ? null : "SIG" + name;
    }

    /** Returns the exit code of the command: 128 plus the signal's number, or 0 without one. */
    int exitCode() {
        String name = received.get();
        return name == null ? 0 : exitCode(name);
    }

    private static int exitCode(String name) {
        return 128 + ("INT".equals(name) ? 2 : 15);
    }

    /**
     * Prints the one line that ends a stopped run: the step saved and how to continue.
     *
     * @param result the stopped run
     * @param runDir its directory
     */
    void printStopped(TrainingResult result, Path runDir) {
        String by = signalName() == null ? "a stop request" : signalName();
        if (result.lastCheckpoint() == null) {
            err.println(
                    "trainsight train: stopped by "
                            + by
                            + " before a step was saved; nothing to resume: start the run again"
                            + " with --out "
                            + runDir
                            + " --overwrite");
        } else {
            err.println(
                    "trainsight train: stopped by "
                            + by
                            + " after step "
                            + result.steps()
                            + ", saved in "
                            + result.lastCheckpoint()
                            + "; continue with: trainsight train --resume "
                            + runDir);
        }
        err.flush();
    }

    /** Gives the signals back to the JVM's own handling. */
    @Override
    public void close() {
        for (Installed each : installed) {
            Signal.handle(each.signal(), each.previous());
        }
        installed.clear();
    }
}
