package io.trainsight.trainer.internal.mkl;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The native side of {@link io.trainsight.trainer.engine.MklDispatch}: loads a stub library that
 * defines MKL's {@code mkl_serv_intel_cpu_true} as {@code return 1}, globally, so that libtorch,
 * loaded after it, binds its calls to the stub's definition instead of its own; and reads which
 * code branch MKL runs on.
 *
 * <p>The stub is written by {@link ElfStub} to a temporary file, loaded with {@code RTLD_GLOBAL}
 * (symbols of such a library come before those of a library loaded later, as with {@code
 * LD_PRELOAD}), and deleted: the loader keeps its mapping.
 */
public final class MklStub {

    /** The function MKL asks whether the CPU is Intel's. */
    public static final String SYMBOL = "mkl_serv_intel_cpu_true";

    /** libtorch's library that holds MKL (statically linked). */
    private static final String LIBTORCH_CPU = "libtorch_cpu.so";

    private static final int RTLD_NOW = 0x2;
    private static final int RTLD_GLOBAL = 0x100;

    /** The loaded stub, held so that JNA never closes it. */
    private static volatile NativeLibrary loaded;

    private MklStub() {}

    /**
     * Loads the stub into the process's global symbol scope; a second call does nothing.
     *
     * @param directory where to write the stub's file for the moment it takes to load it
     * @throws IllegalStateException if the stub cannot be written or loaded, with the reason
     */
    public static synchronized void load(Path directory) {
        if (loaded != null) {
            return;
        }
        Path file = write(directory);
        try {
            NativeLibrary library =
                    NativeLibrary.getInstance(
                            file.toString(),
                            Map.of(Library.OPTION_OPEN_FLAGS, RTLD_NOW | RTLD_GLOBAL));
            if (library.getFunction(SYMBOL).invokeInt(new Object[0]) != 1) {
                throw new IllegalStateException("the stub library's function does not return 1");
            }
            loaded = library;
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException(
                    "cannot load the stub library from "
                            + directory
                            + " (a file system mounted noexec?): "
                            + e.getMessage(),
                    e);
        } finally {
            delete(file);
        }
    }

    /**
     * Writes the stub's file.
     *
     * @param directory the folder to write it in
     * @return the file
     * @throws IllegalStateException naming the folder and the reason when it cannot be written
     */
    static Path write(Path directory) {
        byte[] bytes = ElfStub.functionReturning("libtrainsight-mkl-stub.so", SYMBOL, 1);
        Path file = null;
        try {
            file = Files.createTempFile(directory, "trainsight-mkl-", ".so");
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            if (file != null) {
                delete(file);
            }
            throw new IllegalStateException(
                    "cannot write the stub library to "
                            + directory
                            + " ("
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage()
                            + ")",
                    e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A file left in the temporary directory: harmless, and it cannot be helped.
        }
    }

    /** Returns whether the stub is loaded. */
    public static boolean isLoaded() {
        return loaded != null;
    }

    /**
     * Returns the path of the libtorch CPU library this process has loaded, if it has.
     *
     * @param maps the lines of {@code /proc/self/maps}
     * @return the path, or empty
     */
    public static Optional<String> libtorchIn(List<String> maps) {
        for (String line : maps) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.endsWith("/" + LIBTORCH_CPU)) {
                return Optional.of(line.substring(slash));
            }
        }
        return Optional.empty();
    }

    /** Returns the path of the libtorch CPU library this process has loaded, if it has. */
    public static Optional<String> loadedLibtorch() {
        try {
            return libtorchIn(Files.readAllLines(Path.of("/proc/self/maps")));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty(); // not Linux: no libtorch_cpu.so either
        }
    }

    /**
     * Returns the code branch MKL's automatic dispatch picks, as MKL numbers it ({@code
     * MKL_CBWR_AVX2} is 10, {@code MKL_CBWR_AVX512_E1} 14).
     *
     * @param libtorch the loaded libtorch CPU library ({@link #loadedLibtorch()})
     * @return the branch, or empty when that libtorch has no MKL
     */
    public static OptionalInt codeBranch(String libtorch) {
        try {
            Function branch =
                    NativeLibrary.getInstance(libtorch)
                            .getFunction("mkl_serv_cbwr_get_auto_branch");
            return OptionalInt.of(branch.invokeInt(new Object[0]));
        } catch (UnsatisfiedLinkError e) {
            return OptionalInt.empty(); // a libtorch without MKL (ARM, or built with OpenBLAS)
        }
    }
}
