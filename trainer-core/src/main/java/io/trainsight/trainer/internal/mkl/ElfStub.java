package io.trainsight.trainer.internal.mkl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes the smallest shared object the Linux loader accepts for one exported function, {@code int
 * name(void) { return value; }}, for x86-64: an ELF header, four program headers (the code, the
 * dynamic section, and a non-executable stack), a one-bucket symbol hash table, the symbol and
 * string tables, six bytes of machine code and the dynamic section. The loader reads program
 * headers only, so there are no section headers; nothing in it needs relocating.
 *
 * <p>It exists so that trainsight can define a symbol for a native library without a C compiler on
 * the user's machine and without shipping a binary ({@link MklStub}).
 */
final class ElfStub {

    private static final int PAGE = 0x1000;
    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    private static final int PHDR_COUNT = 4;
    private static final int SYM_SIZE = 24;
    private static final int DYN_SIZE = 16;

    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_GNU_STACK = 0x6474e551;
    private static final int PF_X = 1;
    private static final int PF_W = 2;
    private static final int PF_R = 4;

    private static final int DT_NULL = 0;
    private static final int DT_HASH = 4;
    private static final int DT_STRTAB = 5;
    private static final int DT_SYMTAB = 6;
    private static final int DT_STRSZ = 10;
    private static final int DT_SYMENT = 11;
    private static final int DT_SONAME = 14;

    private ElfStub() {}

    /**
     * Returns the bytes of a shared object exporting {@code int symbol(void)} that returns {@code
     * value}.
     *
     * @param soname the object's name ({@code DT_SONAME}), printable ASCII
     * @param symbol the function's name, a C identifier
     * @param value what it returns
     * @return the file's bytes
     * @throws IllegalArgumentException if a name is not as described
     */
    static byte[] functionReturning(String soname, String symbol, int value) {
        if (!symbol.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "'" + symbol + "' is not a C identifier (letters, digits and _)");
        }
        if (!soname.matches("[\\x21-\\x7e]+")) {
            throw new IllegalArgumentException(
                    "'" + soname + "' is not a library name (printable ASCII, no spaces)");
        }
        byte[] names = ("\0" + symbol + "\0" + soname + "\0").getBytes(StandardCharsets.US_ASCII);
        int symbolName = 1;
        int sonameName = symbol.length() + 2;

        int phdrs = EHDR_SIZE;
        int hash = phdrs + PHDR_COUNT * PHDR_SIZE;
        int hashSize = 5 * Integer.BYTES; // nbucket, nchain, bucket[0], chain[0], chain[1]
        int dynsym = align(hash + hashSize, 8);
        int dynstr = dynsym + 2 * SYM_SIZE;
        int text = align(dynstr + names.length, 16);
        // mov eax, value; ret
        byte[] code = {
            (byte) 0xb8,
            (byte) value,
            (byte) (value >>> 8),
            (byte) (value >>> 16),
            (byte) (value >>> 24),
            (byte) 0xc3
        };
        int textEnd = text + code.length;
        int dynamic = PAGE; // its own page: the loader may write to it
        int dynamicSize = 7 * DYN_SIZE;
        int fileSize = dynamic + dynamicSize;

        ByteBuffer out = ByteBuffer.allocate(fileSize).order(ByteOrder.LITTLE_ENDIAN);
        // ELF header: 64-bit, little-endian, version 1, System V ABI, a shared object for x86-64
        out.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        out.position(16);
        out.putShort((short) 3); // ET_DYN
        out.putShort((short) 62); // EM_X86_64
        out.putInt(1); // EV_CURRENT
        out.putLong(0); // no entry point
        out.putLong(phdrs);
        out.putLong(0); // no section headers
        out.putInt(0); // flags
        out.putShort((short) EHDR_SIZE);
        out.putShort((short) PHDR_SIZE);
        out.putShort((short) PHDR_COUNT);
        out.putShort((short) 64); // the size a section header would have
        out.putShort((short) 0);
        out.putShort((short) 0);

        out.position(phdrs);
        programHeader(out, PT_LOAD, PF_R | PF_X, 0, textEnd, PAGE);
        programHeader(out, PT_LOAD, PF_R | PF_W, dynamic, dynamicSize, PAGE);
        programHeader(out, PT_DYNAMIC, PF_R | PF_W, dynamic, dynamicSize, 8);
        programHeader(out, PT_GNU_STACK, PF_R | PF_W, 0, 0, 16);

        // One bucket: every name hashes to it, and it chains to the one symbol.
        out.position(hash);
        out.putInt(1).putInt(2).putInt(1).putInt(0).putInt(0);

        out.position(dynsym + SYM_SIZE); // entry 0 is the null symbol
        out.putInt(symbolName);
        out.put((byte) 0x12); // STB_GLOBAL, STT_FUNC
        out.put((byte) 0); // default visibility
        out.putShort((short) 1); // defined (the loader only tells apart undefined and absolute)
        out.putLong(text);
        out.putLong(code.length);

        out.position(dynstr);
        out.put(names);
        out.position(text);
        out.put(code);

        out.position(dynamic);
        dynamicEntry(out, DT_HASH, hash);
        dynamicEntry(out, DT_STRTAB, dynstr);
        dynamicEntry(out, DT_SYMTAB, dynsym);
        dynamicEntry(out, DT_STRSZ, names.length);
        dynamicEntry(out, DT_SYMENT, SYM_SIZE);
        dynamicEntry(out, DT_SONAME, sonameName);
        dynamicEntry(out, DT_NULL, 0);
        return out.array();
    }

    /** A segment whose file offset equals its address (the object loads as it is laid out). */
    private static void programHeader(
            ByteBuffer out, int type, int flags, long offset, long size, long alignment) {
        out.putInt(type);
        out.putInt(flags);
        out.putLong(offset);
        out.putLong(offset); // virtual address
        out.putLong(offset); // physical address
        out.putLong(size); // in the file
        out.putLong(size); // in memory
        out.putLong(alignment);
    }

    private static void dynamicEntry(ByteBuffer out, long tag, long value) {
        out.putLong(tag);
        out.putLong(value);
    }

    private static int align(int offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
