package io.trainsight.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations as the command line spells them. */
class DurationsTest {

    @Test
    void readsEveryUnitSoThatARangeCheckCanNameAValueOutOfRange() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("100us")).isEqualTo(Duration.ofNanos(100_000));
        assertThat(Durations.parse("10 NS")).isEqualTo(Duration.ofNanos(10));
    }

    @Test
    void refusesWhatIsNoDurationSayingHowToWriteOne() {
        assertThatThrownBy(() -> Durations.parse("soon"))
                .hasMessage("'soon' is not a duration; write a number and a unit: 500ms, 2s, 1m");
        assertThatThrownBy(() -> Durations.parse("1.5ms"))
                .hasMessage("'1.5ms': ms must be whole, such as 500ms");
        assertThatThrownBy(() -> Durations.parse("-1s")).hasMessageContaining("is not a duration");
    }
}
