package io.trainsight.data.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import io.trainsight.data.DataLoader;
import io.trainsight.data.EpochIterator;
import io.trainsight.data.LoadedBatch;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFormatsTest {

    @TempDir Path dir;

    @Test
    void opensByFormatNameAndDescribesTheInputAndClasses() throws Exception {
        Path file =
                Files.writeString(dir.resolve("d.csv"), "x,y,z,class\n1,2,3,b\n4,5,6,a\n7,8,9,b\n");
        FileDataset dataset =
                DataFormats.open(
                        file, "CSV", FormatOptions.builder().optLabelColumn("class").build());
        DatasetInfo info = dataset.info();
        assertThat(info.format()).isEqualTo("csv");
        assertThat(info.source()).isEqualTo(file);
        assertThat(info.inputShape()).isEqualTo(new Shape(3));
        assertThat(info.numClasses()).isEqualTo(2);
        try (DataLoader loader = DataLoader.builder().setDataset(dataset).setBatchSize(2).build();
                EpochIterator epoch = loader.epoch(0);
                LoadedBatch batch = epoch.next()) {
            assertThat(batch.data().head().getShape()).isEqualTo(new Shape(2, 3));
            assertThat(batch.labels().head().toFloatArray()).containsExactly(1f, 0f);
        }
    }

    @Test
    void refusesAnUnknownFormatOrAMissingPath() {
        assertThatThrownBy(() -> DataFormats.open(dir, "parquet", FormatOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format 'parquet' is not known; valid formats are csv, idx, images");
        assertThatThrownBy(
                        () ->
                                DataFormats.open(
                                        dir.resolve("none.csv"), "csv", FormatOptions.defaults()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("none.csv");
    }

    @Test
    void refusesInvalidOptionsNamingThem() {
        assertThatThrownBy(() -> FormatOptions.builder().optImageSize(0, 5).build())
                .hasMessage("image size must be at least 1×1 pixels, got 0×5");
        assertThatThrownBy(() -> FormatOptions.builder().optLabelColumn(" ").build())
                .hasMessage("labelColumn must name a column, got ' '");
    }
}
