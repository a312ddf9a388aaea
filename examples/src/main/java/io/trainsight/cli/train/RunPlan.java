package io.trainsight.cli.train;

import io.trainsight.trainer.checkpoint.ResumePoint;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What a run will do: its settings, its directory, the checkpoint it resumes from, and, once taken,
 * the lock that makes the directory its own until it ends.
 */
final class RunPlan implements AutoCloseable {

    private final RunConfig config;
    private final Path runDir;
    private final ResumePoint resumePoint;
    private final boolean overwrite;
    private RunLock lock;

    RunPlan(RunConfig config, Path runDir, ResumePoint resumePoint, boolean overwrite) {
        this.config = config;
        this.runDir = runDir;
        this.resumePoint = resumePoint;
        this.overwrite = overwrite;
    }

    /** Returns the settings. */
    RunConfig config() {
        return config;
    }

    /** Returns the run directory. */
    Path runDir() {
        return runDir;
    }

    /** Returns the checkpoint to resume from, or null for a fresh run. */
    Path checkpoint() {
        return resumePoint == null ? null : resumePoint.file();
    }

    /** Returns where the resumed run stands, or null for a fresh run. */
    ResumePoint resumePoint() {
        return resumePoint;
    }

    /** Returns whether a run found in the directory is to be replaced. */
    boolean overwrite() {
        return overwrite;
    }

    /** Returns whether the directory is locked for this run. */
    boolean locked() {
        return lock != null;
    }

    void lock(RunLock taken) {
        this.lock = taken;
    }

    /** Releases the directory. */
    @Override
    public void close() throws IOException {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }
}
