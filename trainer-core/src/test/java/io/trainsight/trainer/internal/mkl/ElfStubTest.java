package io.trainsight.trainer.internal.mkl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfStubTest {

    @Test
    void theLoaderLoadsTheStubAndItsFunctionReturnsTheValue(@TempDir Path dir) throws Exception {
        assumeX86Linux();
        for (int value : new int[] {1, -42, 0x12345678}) {
            Path file = dir.resolve("libstub" + (value & 0xff) + ".so");
            Files.write(file, ElfStub.functionReturning("libstub.so", "trainsight_answer", value));
            NativeLibrary library = NativeLibrary.getInstance(file.toString());
            try {
                assertThat(library.getFunction("trainsight_answer").invokeInt(new Object[0]))
                        .isEqualTo(value);
            } finally {
                library.close();
            }
        }
    }

    private static void assumeX86Linux() {
        assumeTrue(
                System.getProperty("os.name").startsWith("Linux")
                        && List.of("amd64", "x86_64").contains(System.getProperty("os.arch")),
                "the stub is x86-64 Linux machine code");
    }

    @Test
    void namesThatAreNotIdentifiersAreRefused() {
        assertThatThrownBy(() -> ElfStub.functionReturning("libstub.so", "1bad", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'1bad' is not a C identifier (letters, digits and _)");
        assertThatThrownBy(() -> ElfStub.functionReturning("lib stub.so", "ok", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'lib stub.so' is not a library name (printable ASCII, no spaces)");
    }

    @Test
    void aFolderTheStubCannotBeWrittenToIsNamedWithTheReason(@TempDir Path dir) {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> MklStub.write(missing))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "cannot write the stub library to " + missing + " (NoSuchFileException: ");
    }

    @Test
    void theStubsFileIsALibraryThatAnswersYes(@TempDir Path dir) {
        assumeX86Linux();
        Path file = MklStub.write(dir);
        NativeLibrary library = NativeLibrary.getInstance(file.toString());
        try {
            assertThat(library.getFunction(MklStub.SYMBOL).invokeInt(new Object[0])).isEqualTo(1);
        } finally {
            library.close();
        }
    }

    @Test
    void libtorchIsFoundInTheProcessMapsByItsFileName() {
        List<String> maps =
                List.of(
                        "7f00-7f10 r--p 00000000 08:01 12 /usr/lib/libc.so.6",
                        "7f20-7f30 r-xp 00001000 08:01 34"
                                + " /home/u/.djl.ai/pytorch/2.7.1/libtorch_cpu.so",
                        "7f40-7f50 rw-p 00000000 00:00 0 ");
        assertThat(MklStub.libtorchIn(maps))
                .hasValue("/home/u/.djl.ai/pytorch/2.7.1/libtorch_cpu.so");
        assertThat(MklStub.libtorchIn(maps.subList(0, 1))).isEmpty();
        assertThat(MklStub.libtorchIn(List.of("7f-8f r-xp 0 08:01 3 /opt/not_libtorch_cpu.so.bak")))
                .isEmpty();
    }
}
