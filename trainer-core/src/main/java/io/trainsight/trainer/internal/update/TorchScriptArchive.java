package io.trainsight.trainer.internal.update;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive, the file {@code torch.jit.save} writes, for a module without
 * parameters: its class's source, which libtorch compiles when it loads the archive, an empty
 * constants table and the pickled module object. Written in memory, so trainsight needs neither
 * Python nor a prebuilt file to run its own TorchScript.
 */
final class TorchScriptArchive {

    private TorchScriptArchive() {}

    /**
     * A module compiled from source and the manager of its own it lives under.
     *
     * @param module the module
     * @param manager its manager, a child of the one it was loaded under
     */
    record Loaded(PtSymbolBlock module, PtNDManager manager) {}

    /**
     * Compiles a module class from its source into a manager of its own under a parent.
     *
     * @param parent a PyTorch manager
     * @param className the class's name, as for {@link #of}
     * @param source the class's TorchScript source, as for {@link #of}
     * @param what how messages name the module, e.g. {@code the step kernels}
     * @return the module and its manager; close both when done
     * @throws IllegalStateException if the manager is not PyTorch's or libtorch cannot compile it
     */
    static Loaded load(NDManager parent, String className, String source, String what) {
        NDManager own = parent.newSubManager();
        if (!(own instanceof PtNDManager manager)) {
            own.close();
            throw new IllegalStateException(
                    Character.toUpperCase(what.charAt(0))
                            + what.substring(1)
                            + " need DJL's PyTorch engine, got "
                            + parent.getEngine());
        }
        try {
            PtSymbolBlock module =
                    JniUtils.loadModule(
                            manager, new ByteArrayInputStream(of(className, source)), false, false);
            return new Loaded(module, manager);
        } catch (IOException | EngineException e) {
            manager.close();
            throw new IllegalStateException("libtorch cannot compile " + what + ": " + e, e);
        }
    }

    /**
     * Returns the archive of a module class.
     *
     * @param className the class's name, declared in the source as {@code class NAME(Module):}
     * @param source the class's TorchScript source, in the serialized form (typed signatures)
     * @return the archive's bytes
     */
    static byte[] of(String className, String source) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(zip, "archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            stored(zip, "archive/data.pkl", module(className));
            stored(zip, "archive/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Pickles (protocol 2) an object of class {@code __torch__.NAME} whose state is {@code
     * {'training': True}}, as {@code torch.jit.save} pickles a module without attributes.
     */
    private static byte[] module(String className) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80); // PROTO 2
        out.write(2);
        out.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        out.write(')'); // EMPTY_TUPLE
        out.write(0x81); // NEWOBJ
        out.write('}'); // EMPTY_DICT
        out.write('('); // MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        out.write('X'); // BINUNICODE, little-endian length
        out.write(key.length);
        out.write(0);
        out.write(0);
        out.write(0);
        out.writeBytes(key);
        out.write(0x88); // NEWTRUE
        out.write('u'); // SETITEMS
        out.write('b'); // BUILD
        out.write('.'); // STOP
        return out.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
