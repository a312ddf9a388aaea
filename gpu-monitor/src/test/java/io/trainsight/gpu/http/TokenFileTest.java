package io.trainsight.gpu.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A token file every user can read is named, with the command that fixes it. */
class TokenFileTest {

    @TempDir Path tmp;

    private Path token(String mode) throws IOException {
        Path file = Files.writeString(tmp.resolve("token-" + mode), "s3cret-token-0123456789\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("no POSIX permissions on this file system");
        }
        return file;
    }

    @Test
    void aTokenFileReadableByEveryUserIsNamedWithTheFix() throws IOException {
        Path open = token("rw-r--r--");
        assertThat(AccessToken.permissionProblem(open))
                .isEqualTo(
                        open
                                + " can be read by every user of this machine (mode rw-r--r--);"
                                + " restrict it: chmod o-rwx "
                                + open);
        assertThat(AccessToken.permissionProblem(token("rw-rw-rw-"))).contains("chmod o-rwx");
    }

    @Test
    void aPrivateOrGroupReadableTokenFileIsFine() throws IOException {
        assertThat(AccessToken.permissionProblem(token("rw-------"))).isNull();
        assertThat(AccessToken.permissionProblem(token("r--r-----")))
                .as("a Kubernetes secret mounted for the pod's fsGroup")
                .isNull();
    }
}
