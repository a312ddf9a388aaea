package io.trainsight.data.format.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trainsight.data.format.FormatOptions;
import io.trainsight.data.format.MalformedDataException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines as BufferedReader reads them, but never one longer than the limit. */
class BoundedLinesTest {

    @TempDir Path dir;

    private static List<String> lines(String text, int max) throws IOException {
        BoundedLines lines = new BoundedLines(new StringReader(text), Path.of("x.csv"), max);
        List<String> all = new ArrayList<>();
        for (String line = lines.next(); line != null; line = lines.next()) {
            all.add(line);
        }
        return all;
    }

    @Test
    void splitsAtEveryKindOfLineBreakAsBufferedReaderDoes() throws IOException {
        assertThat(lines("a\nb\r\nc\rd", 100)).containsExactly("a", "b", "c", "d");
        assertThat(lines("a\n\nb\n", 100)).containsExactly("a", "", "b");
        assertThat(lines("", 100)).isEmpty();
        // a line break split across the 64 KiB buffer, and lines longer than the buffer
        String longLine = "x".repeat((1 << 16) - 1);
        assertThat(lines(longLine + "\r\n" + "y".repeat(200_000) + "\nz", 1 << 20))
                .containsExactly(longLine, "y".repeat(200_000), "z");
    }

    @Test
    void aLineOverTheLimitIsNamedByItsNumberBeforeItIsHeldInMemory() {
        assertThatThrownBy(() -> lines("ok\nfine\n" + "9".repeat(101) + "\n", 100))
                .isInstanceOf(MalformedDataException.class)
                .hasMessage(
                        "x.csv: line 3 is longer than 100 characters; a line holds one sample (is"
                                + " the file a CSV file, with line breaks?)");
        assertThatThrownBy(() -> lines("9".repeat(1_000_000), 100))
                .as("a file without a line break")
                .hasMessageContaining("line 1 is longer than 100 characters");
    }

    @Test
    void aCsvFileWithAnOverlongRowIsMalformedAtThatLine() throws IOException {
        Path file = dir.resolve("rows.csv");
        Files.writeString(file, "a,b,label\n1,2,x\n3,4,y\n" + "5".repeat(5000) + ",6,z\n");
        assertThatThrownBy(() -> CsvDataset.open(file, FormatOptions.builder().build(), 1000))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageStartingWith(file + ": line 4 is longer than 1000 characters");
    }
}
