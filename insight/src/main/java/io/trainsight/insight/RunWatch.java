package io.trainsight.insight;

import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.diagnose.Severity;
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
 * reports steps while other threads read the findings and the live view, so its state is guarded by
 * its own lock.
 */
final class RunWatch {

    /** Findings are logged under the facade's name, which users configure. */
    private static final Logger logger = LoggerFactory.getLogger(RunInsight.class);

    private final InsightSettings settings;
    private GpuMonitor monitor;
    private boolean ownMonitor;
    private StepLogWriter stepLog;
    private RunSession session;
    private RunReport finalReport;
    private IOException writeError;

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
            stepLog.addColumns(session.columns());
            stepLog.onTrainingBegin(start);
        }
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
     * Joins a step with its samples and writes it to the step log outside the lock, then adds it to
     * the aggregates under the lock.
     *
     * @param record the step
     * @throws IllegalStateException before the run begins
     */
    void step(StepRecord record) {
        RunSession current = begun();
        current.joined(record);
        if (stepLog != null) {
            stepLog.onStep(record);
        }
        synchronized (this) {
            current.add(record);
        }
    }

    private synchronized RunSession begun() {
        if (session == null) {
            throw new IllegalStateException("onTrainingBegin must be called before the first step");
        }
        return session;
    }

    synchronized void checkpoint(long nanos) {
        if (session != null) {
            session.checkpoint(nanos);
        }
    }

    synchronized void recordFailure(Throwable error) {
        begun().recordFailure(error);
    }

    /**
     * Ends the run: writes the reports and releases what the watch holds. Later calls only release.
     *
     * @param reason why the run ended
     */
    synchronized void finish(StopReason reason) {
        if (finalReport != null || session == null) {
            release();
            return;
        }
        finalReport = session.report(reason.name());
        writeError = ReportFiles.write(finalReport, settings.runDirectory());
        release();
    }

    /** Ends the run if it has not ended, as failed or incomplete, and releases what it holds. */
    synchronized void close() {
        if (session != null && finalReport == null) {
            finish(session.failed() ? StopReason.FAILED : StopReason.INCOMPLETE);
        }
        release();
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

    synchronized RunSession session() {
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
     * Returns the final report, else a report of the steps so far.
     *
     * @return the report, or null before the run begins
     */
    synchronized RunReport current() {
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
            now = current();
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
    synchronized List<Finding> findings() {
        RunReport report = current();
        return report == null ? List.of() : report.findings();
    }
}
