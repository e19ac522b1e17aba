package dev.inkwell.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.tensor.Torch;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.TensorEntry;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;

/** Access to the reference fixtures in test resources, and tensor comparison with a clear report. */
public final class Goldens {
    private Goldens() {}

    /** A test resource as a file, since models and tokenizers are loaded from folders. */
    public static Path resource(String relative) {
        java.net.URL url = Goldens.class.getResource("/" + relative);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path reference(String relative) {
        return resource("reference/" + relative);
    }

    public static Path model(String name) {
        return reference("models/" + name);
    }

    /** Reads golden tensors from {@code goldens/<file>.safetensors}. */
    public static final class File implements AutoCloseable {
        private final SafeTensors file;

        public File(String name) {
            this.file = SafeTensors.open(reference("goldens/" + name + ".safetensors"));
        }

        public Tensor tensor(String name) {
            TensorEntry e = file.entry(name);
            return switch (e.dtype()) {
                case I64 -> Torch.longs(file.longs(name), e.shape());
                default -> Torch.floats(file.floats(name), e.shape());
            };
        }

        public float[] floats(String name) {
            return file.floats(name);
        }

        /** The raw bytes of a tensor (e.g. uint8 images). */
        public byte[] bytes(String name) {
            java.nio.ByteBuffer b = file.bytes(name);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }

        public long[] longs(String name) {
            return file.longs(name);
        }

        public boolean has(String name) {
            return file.entries().containsKey(name);
        }

        public long[] shape(String name) {
            return file.entry(name).shape();
        }

        @Override
        public void close() {
            file.close();
        }
    }

    /** Asserts equal shapes and values within an absolute tolerance, reporting the worst element. */
    public static void assertClose(Tensor expected, Tensor actual, double tolerance, String what) {
        assertArrayEquals(Torch.shape(expected), Torch.shape(actual), what + ": shape");
        float[] e = Torch.toFloats(expected);
        float[] a = Torch.toFloats(actual);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs((double) e[i] - a[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        double maxAbs = 0;
        for (float v : e) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        String report = String.format("%s: max |diff| %.3g at %d (expected %s, got %s; |expected| up to %.3g) shape %s",
                what, worst, at, at < 0 ? "-" : e[at], at < 0 ? "-" : a[at], maxAbs, Arrays.toString(Torch.shape(expected)));
        assertTrue(worst <= tolerance, report);
    }
}
