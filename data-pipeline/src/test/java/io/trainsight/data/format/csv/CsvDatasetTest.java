package io.trainsight.data.format.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Record;
import io.trainsight.data.format.FormatOptions;
import io.trainsight.data.format.MalformedDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetTest {

    @TempDir Path dir;

    @Test
    void readsNumericFeaturesAndNamedClassesWithTheLabelColumnChosenByName() throws IOException {
        Path file =
                write(
                        "iris.csv",
                        "sepal_length, species ,\"petal, width\"\n"
                                + "5.1,setosa,0.2\n"
                                + "\n"
                                + "6.3,virginica,1.8\n"
                                + "5.8,\"versicolor\",1.2\n");
        CsvDataset dataset = CsvDataset.open(file, options("species"));
        assertThat(dataset.info().inputShape()).isEqualTo(new Shape(2));
        assertThat(dataset.info().classNames())
                .containsExactly("setosa", "versicolor", "virginica");
        assertThat(dataset.size()).isEqualTo(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Record record = dataset.get(manager, 1);
            assertThat(record.getData().head().toFloatArray()).containsExactly(6.3f, 1.8f);
            assertThat(record.getLabels().head().getFloat()).isEqualTo(2f);
            assertThat(dataset.get(manager, 2).getLabels().head().getFloat()).isEqualTo(1f);
        }
    }

    @Test
    void readsTabSeparatedFilesAndWholeNumberLabelsAsClassNumbers() throws IOException {
        Path file = write("digits.tsv", "a\tb\tlabel\n1\t2\t3\n4\t5\t0\n");
        CsvDataset dataset = CsvDataset.open(file, FormatOptions.defaults());
        assertThat(dataset.info().classNames()).containsExactly("0", "1", "2", "3");
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(dataset.get(manager, 0).getData().head().toFloatArray())
                    .containsExactly(1f, 2f);
            assertThat(dataset.get(manager, 0).getLabels().head().getFloat()).isEqualTo(3f);
        }
    }

    @Test
    void aMissingLabelColumnIsNamedWithTheColumnsThereAre() throws IOException {
        Path file = write("x.csv", "a,b,c\n1,2,3\n");
        assertMalformed(
                file,
                "label",
                file
                        + ": line 1: the header has no column 'label' for the labels; its columns"
                        + " are a, b, c");
    }

    @Test
    void aBadHeaderIsNamed() throws IOException {
        assertMalformed(
                write("dup.csv", "a,b,a,label\n"),
                "label",
                "names column 'a' twice (columns 1 and 3)");
        assertMalformed(
                write("gap.csv", "a,,label\n"),
                "label",
                "line 1, column 2: the header names no column");
        assertMalformed(write("empty.csv", "\n\n"), "label", "the file is empty");
        assertMalformed(
                write("bare.csv", "a,label\n"),
                "label",
                "line 2: the header is followed by no rows");
        assertMalformed(
                write("alone.csv", "label\n1\n"), "label", "names the label column and no feature");
    }

    @Test
    void aBadRowIsNamedByLineAndColumn() throws IOException {
        assertMalformed(
                write("short.csv", "a,b,label\n1,2,0\n\n3,1\n"),
                "label",
                "line 4 has 2 fields, but the header has 3");
        assertMalformed(
                write("text.csv", "a,b,label\n1,2,0\n3,x7,1\n"),
                "label",
                "line 3, column 2 ('b'): 'x7' is not a finite number");
        assertMalformed(
                write("quote.csv", "a,label\n\"1,0\n"),
                "label",
                "line 2, column 1: a quoted field is not closed");
        assertMalformed(
                write("fraction.csv", "a,label\n1,0\n2,0.5\n"),
                "label",
                "line 3: label '0.5' in column 'label' is not a class");
        assertMalformed(
                write("nolabel.csv", "a,label\n1,\n"),
                "label",
                "line 2: the label column 'label' is empty");
    }

    private static void assertMalformed(Path file, String label, String message) {
        assertThatThrownBy(() -> CsvDataset.open(file, options(label)))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(message);
    }

    private static FormatOptions options(String label) {
        return FormatOptions.builder().optLabelColumn(label).build();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
