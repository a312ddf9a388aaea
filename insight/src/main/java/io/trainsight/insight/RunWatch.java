package io.trainsight.insight;

import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.diagnose.Severity;
import io.trainsight.insight.internal.jvm.StepSignalSource;
import io.trainsight.insight.internal.report.ConsoleTable;
import io.trainsight.insight.log.StepLogWriter;
import io.trainsight.insight.report.RunReport;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.StopReason;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of the one run a {@link RunInsight} watches: when the run begins it starts the
 * monitor (its own, or the caller's if idle), makes the {@link RunSession} and opens the step log;
 * it feeds every step to both; when the run ends it writes the reports through {@link ReportFiles};
 * and it releases the step log, the session's listeners and its own monitor. The training thread
 * hands each step to the insight's own thread ({@link StepWorker}) after counting its live arrays;
 * that thread joins, logs and adds it, while other threads read the findings and the live view, so
 * the state is guarded by the watch's lock. The training thread takes no lock per step: the session
 * and the insight's thread, set once when the run begins, are read as volatile fields (a step that
 * waited for the lock while the insight's thread added steps to the aggregates parked on it).
 * Reading a report waits for the steps handed over.
 */
final class RunWatch {

    /** Findings are logged under the facade's name, which users configure. */
    private static final Logger logger = LoggerFactory.getLogger(RunInsight.class);

    private final InsightSettings settings;
    private GpuMonitor monitor;
    private boolean ownMonitor;
    private StepLogWriter stepLog;

    /** Set once, when the run begins; the training thread reads it without the lock. */
    private volatile RunSession session;

    /** Set once, when the run begins; the training thread reads it without the lock. */
    private volatile StepWorker<Pending> worker;

    private RunReport finalReport;
    private IOException writeError;

    /** A step handed to the insight's thread, with the census taken on the training thread. */
    private record Pending(StepRecord record, StepSignalSource.Census census) {}

    RunWatch(InsightSettings settings) {
        this.settings = settings;
    }

    InsightSettings settings() {
        return settings;
    }

    /**
     * Starts watching the run.
     *
     * @param start the run's origin and plan
     * @throws IllegalStateException if the run already began
     * @throws UncheckedIOException if the step log cannot be opened
     */
    synchronized void begin(RunStart start) {
        if (session != null) {
            throw new IllegalStateException("A RunInsight watches one run; build another one");
        }
        if (settings.monitoring()) {
            monitor = settings.monitor();
            if (monitor == null) {
                monitor = GpuMonitor.builder().optInterval(settings.sampleInterval()).build();
                ownMonitor = true;
            }
            if (!monitor.isRunning() && monitor.ring().count() == 0) {
                monitor.start();
            }
        }
        session = new RunSession(settings, start, monitor, this::raised);
        if (settings.stepLog()) {
            Path file = settings.runDirectory().resolve(StepLogWriter.FILE_NAME);
            try {
                stepLog =
                        start.resumed()
                                ? StepLogWriter.continuing(file, start.firstStep())
                                : new StepLogWriter(file);
            } catch (IOException e) {
                release();
                throw new UncheckedIOException("Cannot open the step log " + file, e);
            }
            stepLog.flushOnRequest().addColumns(session.columns());
            stepLog.onTrainingBegin(start);
        }
        worker = new StepWorker<>("trainsight-insight", this::process, this::caughtUp);
    }

    private void raised(Finding finding) {
        if (finding.severity() == Severity.INFO) {
            logger.info("{}", finding.describe());
        } else {
            logger.warn("{}", finding.describe());
        }
        for (Consumer<Finding> listener : settings.findingListeners()) {
            listener.accept(finding);
        }
    }

    /**
     * Counts the step's live arrays and hands the step to the insight's thread.
     *
     * @param record the step
     * @throws IllegalStateException before the run begins
     * @throws RuntimeException what failed on the insight's thread with an earlier step (the step
     *     log on a full disk)
     */
    void step(StepRecord record) {
        StepWorker<Pending> steps = worker; // written last when the run begins: the session is set
        if (steps == null) {
            throw new IllegalStateException("onTrainingBegin must be called before the first step");
        }
        steps.submit(new Pending(record, session.census(record)));
    }

    /**
     * On the insight's thread: joins a step with its samples and writes it to the step log outside
     * the lock, then adds it to the aggregates under the lock.
     */
    private void process(Pending pending) {
        RunSession current = session;
        current.join(pending.record(), pending.census());
        if (stepLog != null) {
            stepLog.onStep(pending.record());
        }
        synchronized (this) {
            current.add(pending.record());
        }
    }

    /** On the insight's thread, when it has processed every step handed over so far. */
    private void caughtUp() {
        if (stepLog != null) {
            stepLog.flush();
        }
    }

    private synchronized RunSession begun() {
        if (session == null) {
            throw new IllegalStateException("onTrainingBegin must be called before the first step");
        }
        return session;
    }

    /**
     * Waits until the insight's thread has processed every step handed over, e.g. before a
     * checkpoint, so that the step log holds every step the checkpoint covers.
     *
     * @throws RuntimeException what failed on the insight's thread
     */
    void drain() {
        StepWorker<Pending> steps = worker;
        if (steps != null) {
            steps.drain();
        }
    }

    /** Lets the insight's thread finish the steps handed over and ends it; returns its failure. */
    private RuntimeException stopWorker() {
        StepWorker<Pending> steps = worker;
        if (steps == null) {
            return null;
        }
        steps.stop();
        return steps.failure();
    }

    synchronized void checkpoint(long nanos) {
        if (session != null) {
            session.checkpoint(nanos);
        }
    }

    /** Records the run's failure once the steps before it are in (an OOM reads their trend). */
    void recordFailure(Throwable error) {
        StepWorker<Pending> steps = worker;
        if (steps != null) {
            steps.await();
        }
        synchronized (this) {
            begun().recordFailure(error);
        }
    }

    /**
     * Ends the run once the insight's thread has processed every step: writes the reports and
     * releases what the watch holds. Later calls only release.
     *
     * @param reason why the run ended
     * @throws RuntimeException what failed on the insight's thread and was not yet thrown; the run
     *     then ends as failed, its reports written
     */
    void finish(StopReason reason) {
        RuntimeException failed = stopWorker();
        synchronized (this) {
            if (failed != null && session != null && finalReport == null) {
                session.recordFailure(failed);
                end(StopReason.FAILED);
            } else {
                end(reason);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private synchronized void end(StopReason reason) {
        if (finalReport != null || session == null) {
            release();
            return;
        }
        finalReport = session.report(reason.name());
        writeError = ReportFiles.write(finalReport, settings.runDirectory());
        release();
    }

    /** Ends the run if it has not ended, as failed or incomplete, and releases what it holds. */
    void close() {
        RuntimeException failed = stopWorker();
        synchronized (this) {
            if (session != null && finalReport == null) {
                if (failed != null) {
                    session.recordFailure(failed);
                }
                end(session.failed() ? StopReason.FAILED : StopReason.INCOMPLETE);
            }
            release();
        }
        if (failed != null) {
            logger.warn("The insight's thread failed: {}", failed.toString());
        }
    }

    /**
     * Closes the step log, stops listening to the garbage collectors and stops the monitor the
     * watch started itself.
     */
    private void release() {
        if (session != null) {
            session.close();
        }
        if (stepLog != null) {
            try {
                stepLog.close();
            } catch (IOException e) {
                logger.warn("Cannot close the step log {}: {}", stepLog.getFile(), e.getMessage());
            }
            stepLog = null;
        }
        if (ownMonitor && monitor != null) {
            monitor.close();
            monitor = null;
        }
    }

    RunSession session() {
        return session;
    }

    synchronized RunReport finalReport() {
        return finalReport;
    }

    synchronized IOException writeError() {
        return writeError;
    }

    synchronized String source() {
        return session == null ? null : session.source();
    }

    synchronized List<String> deviceIds() {
        return session == null ? List.of() : session.deviceIds();
    }

    /**
     * Returns the final report, else a report of the steps so far, once the steps handed over are
     * processed.
     *
     * @return the report, or null before the run begins
     */
    RunReport current() {
        StepWorker<Pending> steps = worker;
        if (steps != null) {
            steps.await();
        }
        return snapshot();
    }

    /** The final report, else a report of the steps processed so far (the live view's). */
    private synchronized RunReport snapshot() {
        if (finalReport != null) {
            return finalReport;
        }
        return session == null ? null : session.report(null);
    }

    /**
     * Renders the live view's JSON from the session and the report so far, read together.
     *
     * @param since the last step the client has
     * @return the JSON; see {@link LiveView#json}
     */
    String liveJson(long since) {
        RunSession current;
        RunReport now;
        synchronized (this) {
            current = session;
            now = snapshot();
        }
        return LiveView.json(current, now, since);
    }

    /**
     * Renders the dashboard's page with the run's name, source and devices as known now.
     *
     * @return the HTML
     */
    String dashboardHtml() {
        String name;
        String source;
        List<String> ids;
        synchronized (this) {
            name = session == null ? settings.runName() : session.runName();
            source = session == null ? RunReport.NONE : session.source();
            ids = deviceIds();
        }
        return LiveView.dashboard(name, source, ids);
    }

    /**
     * Prints the console table of the final report (or of the steps so far), outside the lock.
     *
     * @param out where to print
     */
    void printTable(PrintWriter out) {
        RunReport report = current();
        if (report == null) {
            out.println("Step-vs-GPU insight: the run has not begun");
            out.flush();
            return;
        }
        ConsoleTable.print(report, out);
    }

    /**
     * Returns the findings so far: the final ones once the run ended, else those raised live.
     *
     * @return the findings, most severe first
     */
    List<Finding> findings() {
        RunReport report = current();
        return report == null ? List.of() : report.findings();
    }
}
