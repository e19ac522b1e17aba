package dev.inkwell.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inkwell.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes safetensors files the way the reference writer does: compact JSON header padded with
 * spaces to a multiple of 8 bytes, tensors laid out contiguously (here in name order). The file is
 * written to a temporary sibling and then moved into place, so an interrupted write never leaves a
 * truncated file under the target name.
 */
public final class SafeTensorsWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensorsWriter() {
    }

    /**
     * A tensor to write: raw little-endian data of exactly {@code elementCount * dtype.byteSize()}
     * bytes, taken from {@code data}'s position to its limit.
     */
    public record Tensor(DType dtype, long[] shape, ByteBuffer data) {

        public Tensor {
            Objects.requireNonNull(dtype, "dtype");
            shape = shape.clone();
            for (long dim : shape) {
                if (dim < 0) {
                    throw new IllegalArgumentException("negative dimension in shape " + Shapes.format(shape));
                }
            }
            long needed;
            try {
                needed = Shapes.byteCount(dtype, shape);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(dtype + " " + Shapes.format(shape) + " is too large", e);
            }
            if (data.remaining() != needed) {
                throw new IllegalArgumentException(dtype + " " + Shapes.format(shape) + " needs " + needed
                        + " bytes but data holds " + data.remaining());
            }
            data = data.asReadOnlyBuffer();
        }

        /** An F32 tensor holding {@code values}. */
        public static Tensor ofFloats(long[] shape, float... values) {
            ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().put(values);
            return new Tensor(DType.F32, shape, data);
        }

        /** An F16 tensor holding {@code values} rounded to half precision. */
        public static Tensor ofHalfs(long[] shape, float... values) {
            ByteBuffer data = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                data.putShort(HalfFloats.floatToF16(v));
            }
            return new Tensor(DType.F16, shape, data.flip());
        }

        /** An I64 tensor holding {@code values}. */
        public static Tensor ofLongs(long[] shape, long... values) {
            ByteBuffer data = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            data.asLongBuffer().put(values);
            return new Tensor(DType.I64, shape, data);
        }

        /** A copy, so the tensor stays immutable. */
        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** A read-only view with its own position, so reading it leaves this tensor unchanged. */
        @Override
        public ByteBuffer data() {
            return data.duplicate();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Tensor that
                    && dtype == that.dtype
                    && Arrays.equals(shape, that.shape)
                    && data.equals(that.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(dtype, Arrays.hashCode(shape), data);
        }

        @Override
        public String toString() {
            return dtype + " " + Shapes.format(shape);
        }
    }

    /** Writes {@code tensors} with no metadata. */
    public static void write(Path target, Map<String, Tensor> tensors) {
        write(target, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} and {@code metadata} to {@code target}, replacing any existing file.
     *
     * @throws IllegalArgumentException if a tensor is named {@code __metadata__}
     * @throws NullPointerException if a name, tensor or metadata value is null
     * @throws WeightsException naming {@code target} if writing fails; {@code target} is then untouched
     */
    public static void write(Path target, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        if (sorted.containsKey(HeaderParser.METADATA_KEY)) {
            throw new IllegalArgumentException("a tensor cannot be named " + HeaderParser.METADATA_KEY);
        }
        byte[] header = header(target, sorted, new TreeMap<>(metadata));
        try {
            AtomicFiles.write(target, true, temp -> {
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    writeFully(out, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
                    writeFully(out, ByteBuffer.wrap(header));
                    for (Tensor tensor : sorted.values()) {
                        writeFully(out, tensor.data());
                    }
                    out.force(true);
                }
            });
        } catch (IOException e) {
            throw new WeightsException(target + ": cannot write: " + e, e);
        }
    }

    private static byte[] header(Path target, Map<String, Tensor> sorted, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(HeaderParser.METADATA_KEY);
            metadata.forEach((key, value) -> meta.put(key, Objects.requireNonNull(value, key)));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> entry : sorted.entrySet()) {
            Tensor tensor = entry.getValue();
            ObjectNode node = root.putObject(entry.getKey());
            node.put("dtype", tensor.dtype().name());
            ArrayNode shape = node.putArray("shape");
            Arrays.stream(tensor.shape).forEach(shape::add);
            long end = offset + tensor.data.remaining();
            node.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new WeightsException(target + ": cannot encode header: " + e.getOriginalMessage(), e);
        }
        long padded = (json.length + 7L) / 8 * 8;
        if (padded > HeaderParser.MAX_HEADER_BYTES) {
            throw new WeightsException(target + ": header of " + padded + " bytes exceeds the safetensors limit of "
                    + HeaderParser.MAX_HEADER_BYTES);
        }
        byte[] header = Arrays.copyOf(json, (int) padded);
        Arrays.fill(header, json.length, header.length, (byte) ' ');
        return header;
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
