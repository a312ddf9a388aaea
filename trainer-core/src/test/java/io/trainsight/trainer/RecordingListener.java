package io.trainsight.trainer;

import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.TrainingResult;
import java.util.ArrayList;
import java.util.List;

/** Records every event a loop sends, for assertions. */
final class RecordingListener implements StepListener {

    final List<StepRecord> steps = new ArrayList<>();
    final List<Integer> epochEnds = new ArrayList<>();
    long origin = -1;
    RunStart start;
    TrainingResult result;

    @Override
    public void onTrainingBegin(RunStart start) {
        this.start = start;
        origin = start.originNanos();
    }

    @Override
    public void onStep(StepRecord record) {
        steps.add(record);
    }

    @Override
    public void onEpochEnd(int epoch) {
        epochEnds.add(epoch);
    }

    @Override
    public void onTrainingEnd(TrainingResult result) {
        this.result = result;
    }
}
