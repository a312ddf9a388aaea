package io.trainsight.insight.log;

import com.fasterxml.jackson.core.JsonGenerator;
import io.trainsight.insight.timeline.StepRecord;
import java.io.IOException;

/**
 * Fields another component adds to each line of the step log, written on the same line, in the same
 * write, after the step's own fields (such as the insight's per-device samples).
 */
@FunctionalInterface
public interface StepColumns {

    /**
     * Writes this component's fields of one step into the open JSON object of its line.
     *
     * @param record the step
     * @param json the line's generator, inside the step's object
     * @throws IOException if writing fails
     */
    void write(StepRecord record, JsonGenerator json) throws IOException;
}
