package io.trainsight.trainer.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The bytes of a checkpoint file: a magic number and version, the state as JSON, the arrays in
 * DJL's own encoding ({@link NDArray#encode()}), and a CRC-32 of everything before it, so a
 * truncated or damaged file is recognised as such.
 */
final class CheckpointFormat {

    private static final int MAGIC = 0x5453434B; // "TSCK"
    private static final int VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private CheckpointFormat() {}

    static void write(Checkpoint checkpoint, OutputStream target) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(target, new CRC32());
        DataOutputStream out = new DataOutputStream(checked);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        byte[] state = stateJson(checkpoint.state());
        out.writeInt(state.length);
        out.write(state);
        writeArrays(out, checkpoint.parameters());
        writeArrays(out, checkpoint.masters());
        OptimizerState optimizer = checkpoint.optimizer();
        out.writeInt(optimizer.numUpdate());
        out.writeInt(optimizer.updateCounts().size());
        for (Map.Entry<String, Integer> entry : optimizer.updateCounts().entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeInt(entry.getValue());
        }
        out.writeInt(optimizer.arrays().size());
        for (Map.Entry<String, Map<String, NDArray>> field : optimizer.arrays().entrySet()) {
            out.writeUTF(field.getKey());
            writeArrays(out, field.getValue());
        }
        out.flush();
        out.writeLong(checked.getChecksum().getValue());
        out.flush();
    }

    /**
     * Reads a checkpoint, or only checks it.
     *
     * @param file the file, for messages
     * @param source its bytes
     * @param manager the manager of the arrays, or null to check the file without decoding them
     *     (the checkpoint returned then has no arrays)
     * @param size the file's size, which no array can exceed
     */
    static Checkpoint read(Path file, InputStream source, NDManager manager, long size)
            throws IOException {
        CheckedInputStream checked = new CheckedInputStream(source, new CRC32());
        DataInputStream in = new DataInputStream(checked);
        try {
            if (in.readInt() != MAGIC) {
                throw corrupt(file, "it is not a trainsight checkpoint (wrong magic number)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw corrupt(file, "format version " + version + ", this build reads " + VERSION);
            }
            byte[] state = new byte[length(file, in, size)];
            in.readFully(state);
            TrainingState trainingState = parseState(file, state);
            Map<String, NDArray> parameters = readArrays(file, in, manager, size);
            Map<String, NDArray> masters = readArrays(file, in, manager, size);
            int numUpdate = in.readInt();
            int counts = in.readInt();
            Map<String, Integer> updateCounts = new LinkedHashMap<>();
            for (int i = 0; i < counts; i++) {
                updateCounts.put(in.readUTF(), in.readInt());
            }
            int fields = in.readInt();
            Map<String, Map<String, NDArray>> arrays = new LinkedHashMap<>();
            for (int i = 0; i < fields; i++) {
                arrays.put(in.readUTF(), readArrays(file, in, manager, size));
            }
            long expected = checked.getChecksum().getValue();
            if (in.readLong() != expected) {
                throw corrupt(file, "its checksum does not match its content");
            }
            return new Checkpoint(
                    trainingState,
                    parameters,
                    masters,
                    new OptimizerState(numUpdate, updateCounts, arrays));
        } catch (EOFException e) {
            throw corrupt(file, "it is truncated");
        }
    }

    private static void writeArrays(DataOutputStream out, Map<String, NDArray> arrays)
            throws IOException {
        out.writeInt(arrays.size());
        for (Map.Entry<String, NDArray> entry : arrays.entrySet()) {
            out.writeUTF(entry.getKey());
            byte[] bytes = entry.getValue().encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static Map<String, NDArray> readArrays(
            Path file, DataInputStream in, NDManager manager, long size) throws IOException {
        int count = in.readInt();
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        byte[] skipped = manager == null ? new byte[1 << 16] : null;
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            int length = length(file, in, size);
            if (manager == null) {
                for (int left = length; left > 0; left -= skipped.length) {
                    in.readFully(skipped, 0, Math.min(left, skipped.length));
                }
                continue;
            }
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            arrays.put(name, NDArray.decode(manager, bytes));
        }
        return arrays;
    }

    /** Reads a length, which a damaged file may hold as anything. */
    private static int length(Path file, DataInputStream in, long size) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > size) {
            throw corrupt(file, "it is damaged (a length of " + length + " bytes is out of range)");
        }
        return length;
    }

    private static byte[] stateJson(TrainingState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeNumberField("step", state.step());
            json.writeNumberField("epoch", state.epoch());
            json.writeNumberField("batches_in_epoch", state.batchesInEpoch());
            json.writeNumberField("samples", state.samples());
            json.writeNumberField("loss_scale", state.lossScale());
            json.writeNumberField("clean_steps", state.cleanSteps());
            json.writeNumberField("seed", state.seed());
            json.writeStringField("precision", state.precision());
            json.writeNumberField("training_nanos", state.trainingNanos());
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static TrainingState parseState(Path file, byte[] bytes) throws IOException {
        Map<String, String> fields = new HashMap<>();
        try (JsonParser json = JSON.createParser(new String(bytes, StandardCharsets.UTF_8))) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw corrupt(file, "its state is not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                json.nextToken();
                fields.put(name, json.getText());
            }
        }
        try {
            return new TrainingState(
                    Long.parseLong(fields.get("step")),
                    Integer.parseInt(fields.get("epoch")),
                    Long.parseLong(fields.get("batches_in_epoch")),
                    Long.parseLong(fields.get("samples")),
                    Float.parseFloat(fields.get("loss_scale")),
                    Integer.parseInt(fields.get("clean_steps")),
                    Long.parseLong(fields.get("seed")),
                    fields.get("precision"),
                    Long.parseLong(fields.get("training_nanos")));
        } catch (NullPointerException | NumberFormatException e) {
            throw corrupt(file, "its state lacks a field or holds a malformed one: " + fields);
        }
    }

    private static IOException corrupt(Path file, String why) {
        return new IOException("Cannot read checkpoint " + file + ": " + why);
    }
}
