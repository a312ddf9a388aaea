package io.trainsight.trainer.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.training.loss.Loss;
import io.trainsight.trainer.LinearProblem;
import io.trainsight.trainer.TrainingLoop;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidatorTest {

    @Test
    void evaluatesWithoutTrainingAndReflectsWhatTrainingDid() throws Exception {
        try (LinearProblem problem = new LinearProblem(128, 16);
                TrainingLoop loop = problem.loop().optEpochs(10).build()) {
            List<Loss> evaluators = List.of(Loss.l2Loss("held-out-l2"));
            Map<String, Float> before = loop.evaluate(problem.dataset(), evaluators);
            Map<String, Float> again = loop.evaluate(problem.dataset(), evaluators);
            assertThat(again).as("evaluation changes no parameter").isEqualTo(before);

            loop.run();
            Map<String, Float> after = loop.evaluate(problem.dataset(), evaluators);

            assertThat(after).containsOnlyKeys("held-out-l2");
            assertThat(after.get("held-out-l2")).isLessThan(before.get("held-out-l2") / 100);
        }
    }
}
