package io.trainsight.trainer.internal.glibc;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The two functions of glibc's allocator that {@code engine.memory.NativeMemory} calls, mapped
 * through JNA: the only JNA types of trainer-core stay in this package.
 */
public interface GlibcMalloc extends Library {

    /** {@code mallopt}'s parameter: free memory at the top of a heap above this is given back. */
    int M_TRIM_THRESHOLD = -1;

    /** {@code mallopt}'s parameter: blocks of at least this size get a mapping of their own. */
    int M_MMAP_THRESHOLD = -3;

    /**
     * Sets an allocator parameter.
     *
     * @param param the parameter
     * @param value its value
     * @return 1 on success, 0 on error
     */
    int mallopt(int param, int value);

    /**
     * Returns glibc's version; a C library without it is not glibc.
     *
     * @return the version, e.g. {@code 2.36}
     */
    String gnu_get_libc_version();

    /**
     * Loads the C library of the process.
     *
     * @return the mapping
     * @throws UnsatisfiedLinkError if there is no such library
     */
    static GlibcMalloc load() {
        return Native.load("c", GlibcMalloc.class);
    }
}
