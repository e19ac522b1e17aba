package dev.inkwell.checkpoint;

import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.weights.WeightSource;
import dev.inkwell.weights.WeightsException;
import java.util.Map;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.MemoryFormat;

/**
 * A model's parameters cut from another source's tensors: each model key names a stored tensor,
 * taken whole, transposed, or as one of several equal blocks of rows. Original checkpoints store
 * some parameters in a layout the diffusers modules do not use (OpenCLIP's fused q/k/v projection,
 * its transposed {@code text_projection}); this view converts them as they are read.
 */
public final class MappedSource implements WeightSource {

    /**
     * How a model tensor is cut from a stored one.
     *
     * @param part which block of rows, counting from 0, when the rows are split into {@code parts}
     * @param parts 1 for all rows
     * @param transposed whether the (2-D) rows taken are transposed
     */
    public record Cut(int part, int parts, boolean transposed) {
        public static final Cut WHOLE = new Cut(0, 1, false);
        public static final Cut TRANSPOSED = new Cut(0, 1, true);

        public Cut {
            if (parts < 1 || part < 0 || part >= parts) {
                throw new IllegalArgumentException("part " + part + " of " + parts);
            }
        }

        public static Cut rows(int part, int parts) {
            return new Cut(part, parts, false);
        }
    }

    /** Where one model tensor comes from: the stored tensor's name, and how it is cut. */
    public record Stored(String key, Cut cut) {
    }

    private final WeightSource stored;
    private final Map<String, Stored> mapping;

    /** @param mapping model key to where its tensor is stored in {@code stored}, which this source closes */
    public MappedSource(WeightSource stored, Map<String, Stored> mapping) {
        this.stored = stored;
        this.mapping = Map.copyOf(mapping);
    }

    @Override
    public boolean contains(String key) {
        Stored s = mapping.get(key);
        return s != null && stored.contains(s.key());
    }

    @Override
    public Tensor read(String key, long[] expectedShape, Precision precision) {
        Stored s = mapping.get(key);
        if (s == null) {
            throw new WeightsException(describe() + ": no tensor maps to '" + key + "'");
        }
        if (s.cut().equals(Cut.WHOLE)) {
            return stored.read(s.key(), expectedShape, precision);
        }
        return Torch.scoped(() -> cut(s.key(), s.cut(), stored.read(s.key(), expectedShape, precision)));
    }

    private Tensor cut(String storedKey, Cut cut, Tensor t) {
        if (cut.parts() > 1) {
            long rows = t.size(0);
            if (rows % cut.parts() != 0) {
                throw new WeightsException(describe() + ": tensor \"" + storedKey + "\" has " + rows
                        + " rows, which do not split into " + cut.parts() + " equal parts");
            }
            t = t.narrow(0, cut.part() * rows / cut.parts(), rows / cut.parts());
        }
        if (cut.transposed()) {
            if (t.dim() != 2) {
                throw new WeightsException(describe() + ": tensor \"" + storedKey + "\" has " + t.dim()
                        + " dimensions; only a matrix can be transposed");
            }
            t = t.t();
        }
        // A copy, so the model does not keep the whole stored tensor alive through a view.
        return t.clone(new MemoryFormatOptional(MemoryFormat.Contiguous));
    }

    @Override
    public String describe() {
        return stored.describe();
    }

    @Override
    public void close() {
        stored.close();
    }
}
