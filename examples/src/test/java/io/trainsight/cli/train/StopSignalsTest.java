package io.trainsight.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The first stop signal asks the loop to stop; a second one exits at once. */
class StopSignalsTest {

    private final StringWriter err = new StringWriter();
    private final List<Integer> halted = new ArrayList<>();
    private final StopSignals signals = new StopSignals(new PrintWriter(err, true), halted::add);

    @Test
    void theFirstSignalStopsTheLoopOnceAndTheSecondExitsAtOnce() {
        AtomicInteger stops = new AtomicInteger();
        signals.attach(stops::incrementAndGet);

        signals.onSignal("TERM");
        assertThat(stops).hasValue(1);
        assertThat(halted).as("not yet").isEmpty();
        assertThat(signals.exitCode()).isEqualTo(143);
        assertThat(err.toString())
                .contains("SIGTERM: stopping after the step in flight and saving it");

        signals.onSignal("INT");
        assertThat(halted).as("128 + the second signal").containsExactly(130);
        assertThat(stops).hasValue(1);
        assertThat(err.toString()).contains("SIGINT again: exiting now");
    }

    @Test
    void aSignalBeforeTheLoopExistsStopsItAsSoonAsItIsAttached() {
        signals.onSignal("INT");
        assertThat(signals.received()).isTrue();
        assertThat(signals.exitCode()).isEqualTo(130);

        AtomicInteger stops = new AtomicInteger();
        signals.attach(stops::incrementAndGet);
        assertThat(stops).hasValue(1);
        assertThat(halted).isEmpty();
    }

    @Test
    void withoutASignalTheExitCodeIsZero() {
        assertThat(signals.received()).isFalse();
        assertThat(signals.exitCode()).isZero();
    }
}
