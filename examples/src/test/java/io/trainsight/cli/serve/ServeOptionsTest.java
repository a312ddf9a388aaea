package io.trainsight.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The token rules shared by {@code gpus --serve} and {@code train --serve}. */
class ServeOptionsTest {

    private static final String TOKEN = "mounted-secret-0123456789";

    @TempDir Path tmp;

    @CommandLine.Command(name = "serving")
    private static final class Serving {}

    private static ParameterException usage(String message) {
        return new ParameterException(new CommandLine(new Serving()), message);
    }

    private static ServeOptions options(String bind) {
        ServeOptions options = new ServeOptions();
        options.bind = bind;
        return options;
    }

    @Test
    void aTokenFileLetsTheServerListenBeyondLoopback() throws IOException {
        Path secret = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
        Map<String, String> env = Map.of("TRAINSIGHT_TOKEN_FILE", secret.toString());

        ServeOptions.ServeSettings settings =
                options("0.0.0.0").check(ServeOptionsTest::usage, env::get);

        assertThat(settings.token()).isEqualTo(TOKEN);
        assertThat(settings.bind()).isEqualTo("0.0.0.0");
        assertThat(settings.toString()).doesNotContain(TOKEN);
    }

    @Test
    void aBadTokenFileIsAUsageErrorNamingIt() throws IOException {
        Path missing = tmp.resolve("missing");
        Map<String, String> none = Map.of("TRAINSIGHT_TOKEN_FILE", missing.toString());
        assertThatThrownBy(() -> options("0.0.0.0").check(ServeOptionsTest::usage, none::get))
                .hasMessageContaining("TRAINSIGHT_TOKEN_FILE " + missing)
                .hasMessageContaining("cannot read the token file");

        Path shortToken = Files.writeString(tmp.resolve("short"), "abc");
        Map<String, String> tooShort = Map.of("TRAINSIGHT_TOKEN_FILE", shortToken.toString());
        assertThatThrownBy(() -> options("0.0.0.0").check(ServeOptionsTest::usage, tooShort::get))
                .hasMessage(
                        "TRAINSIGHT_TOKEN_FILE "
                                + shortToken
                                + ": the token has 3 characters; use 16 to 256 visible ASCII"
                                + " characters");
    }

    @Test
    void withoutATokenOnlyLoopbackIsServed() {
        Map<String, String> empty = Map.of();
        assertThat(options("127.0.0.1").check(ServeOptionsTest::usage, empty::get).token())
                .isNull();
        assertThatThrownBy(() -> options("0.0.0.0").check(ServeOptionsTest::usage, empty::get))
                .hasMessageContaining("--bind 0.0.0.0 is not a loopback address");
    }
}
