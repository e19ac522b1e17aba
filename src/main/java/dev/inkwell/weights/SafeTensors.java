package dev.inkwell.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A read-only, memory-mapped safetensors file. The header is read and fully validated by
 * {@link #open}; tensor data is mapped one tensor at a time on demand, because checkpoints such as
 * the SDXL UNet in fp32 (~10 GB) exceed what a single {@code MappedByteBuffer} can address.
 *
 * <p>Buffers returned by {@link #bytes} stay valid after {@link #close}; the mapping is released
 * when they are garbage collected.
 */
public final class SafeTensors implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final HeaderParser.Header header;

    private SafeTensors(Path path, FileChannel channel, HeaderParser.Header header) {
        this.path = path;
        this.channel = channel;
        this.header = header;
    }

    /**
     * Opens and validates {@code file}. Pickle checkpoints are refused first (see
     * {@link CheckpointFiles#requireSafetensors}).
     *
     * @throws WeightsException if the file is refused, unreadable or its header is invalid
     */
    public static SafeTensors open(Path file) {
        CheckpointFiles.requireSafetensors(file);
        return openChecked(file);
    }

    /** {@link #open} of a safetensors file under another extension, recognised by its content. */
    public static SafeTensors openByContent(Path file) {
        CheckpointFiles.requireSafetensorsContent(file);
        return openChecked(file);
    }

    private static SafeTensors openChecked(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new WeightsException(file + ": cannot open: " + e.getMessage(), e);
        }
        try {
            return new SafeTensors(file, channel, HeaderParser.read(file, channel));
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new WeightsException(file + ": cannot read header: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel, Exception failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    public Path path() {
        return path;
    }

    /** The free-form {@code __metadata__} strings; empty when the file has none. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** All tensors by name, ordered by their position in the data region. */
    public Map<String, TensorEntry> entries() {
        return header.entries();
    }

    /**
     * The entry named {@code name}.
     *
     * @throws WeightsException if there is none
     */
    public TensorEntry entry(String name) {
        TensorEntry entry = header.entries().get(name);
        if (entry == null) {
            throw new WeightsException(path + ": no tensor \"" + name + "\"");
        }
        return entry;
    }

    /**
     * A read-only, little-endian view of the tensor's raw bytes, mapped from the file.
     *
     * @throws WeightsException if there is no such tensor, it is 2 GiB or larger, or mapping fails
     */
    public ByteBuffer bytes(String name) {
        TensorEntry entry = entry(name);
        if (entry.byteSize() > Integer.MAX_VALUE) {
            throw new WeightsException(path + ": tensor \"" + name + "\" is " + entry.byteSize()
                    + " bytes; a single tensor must be smaller than 2 GiB to be mapped");
        }
        if (!channel.isOpen()) {
            throw new IllegalStateException(path + " is closed");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, header.dataStart() + entry.begin(), entry.byteSize())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new WeightsException(path + ": tensor \"" + name + "\": cannot map data: " + e.getMessage(), e);
        }
    }

    /**
     * The tensor's elements widened to float, in row-major order.
     *
     * @throws WeightsException if the dtype is not F32, F16 or BF16
     */
    public float[] floats(String name) {
        TensorEntry entry = entry(name);
        DType dtype = entry.dtype();
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw unsupported(entry, "floats()", "F32, F16 and BF16");
        }
        ByteBuffer data = bytes(name);
        float[] values = new float[Math.toIntExact(entry.elementCount())];
        switch (dtype) {
            case F32 -> data.asFloatBuffer().get(values);
            case F16 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfFloats.f16ToFloat(data.getShort(2 * i));
                }
            }
            default -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfFloats.bf16ToFloat(data.getShort(2 * i));
                }
            }
        }
        return values;
    }

    /**
     * The elements of an I64 tensor, in row-major order.
     *
     * @throws WeightsException if the dtype is not I64
     */
    public long[] longs(String name) {
        TensorEntry entry = entry(name);
        if (entry.dtype() != DType.I64) {
            throw unsupported(entry, "longs()", "I64");
        }
        long[] values = new long[Math.toIntExact(entry.elementCount())];
        bytes(name).asLongBuffer().get(values);
        return values;
    }

    private WeightsException unsupported(TensorEntry entry, String method, String supported) {
        return new WeightsException(path + ": tensor \"" + entry.name() + "\" is " + entry.dtype() + "; "
                + method + " converts only " + supported);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new WeightsException(path + ": cannot close: " + e.getMessage(), e);
        }
    }
}
