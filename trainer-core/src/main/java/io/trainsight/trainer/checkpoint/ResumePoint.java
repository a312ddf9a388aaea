package io.trainsight.trainer.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The checkpoint a run continues from: the newest intact one of its directory ({@link
 * Checkpointer#newestIntact}), with the newer ones that were damaged and set aside.
 *
 * @param file the checkpoint to resume from
 * @param state where the run stands in it
 * @param setAside the damaged checkpoints passed over, newest first; empty when the newest was
 *     intact
 */
public record ResumePoint(Path file, TrainingState state, List<SetAside> setAside) {

    /** Copies the list. */
    public ResumePoint {
        setAside = List.copyOf(setAside);
    }

    /**
     * A damaged checkpoint, renamed aside.
     *
     * @param file its name before
     * @param movedTo its name now
     * @param reason why it cannot be read back, such as {@code it is truncated}
     */
    public record SetAside(Path file, Path movedTo, String reason) {}

    /**
     * Says, in one line, which checkpoints were passed over, why, and which one the run continues
     * from.
     *
     * @return the line, or null when the newest checkpoint was intact
     */
    public String describe() {
        if (setAside.isEmpty()) {
            return null;
        }
        return describe(setAside)
                + "; resuming from "
                + file.getFileName()
                + " (step "
                + state.step()
                + ")";
    }

    static String describe(List<SetAside> damaged) {
        return damaged.stream()
                .map(
                        d ->
                                d.file().getFileName()
                                        + " is damaged ("
                                        + d.reason()
                                        + "), renamed to "
                                        + d.movedTo().getFileName())
                .collect(Collectors.joining("; "));
    }
}
