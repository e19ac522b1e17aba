package dev.inkwell.storybook;

import dev.inkwell.image.Images;
import dev.inkwell.tensor.Torch;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.train.TrainingSteps;
import dev.inkwell.vae.AutoencoderKL;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsWriter;
import dev.inkwell.world.CaptionedSample;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * The UNet stage's training data: {@code size} captioned scenes drawn once and kept as their VAE
 * latents (posterior mean × scaling factor), caption token rows and the latent cells where the
 * subject and the accessory its caption names are drawn (for {@link #emphasis}); every step takes
 * its batch from them. Why: rendering a batch and encoding it through the VAE took about an eighth of a UNet step;
 * done once for a pool a quarter the size of all the steps' draws, most of that time goes to more
 * steps instead (8000 where 7000 fitted), each scene seen about four times. The pool is written to a file beside the stage's
 * checkpoint, so a resumed run reads it instead of building it again.
 */
final class LatentPool implements AutoCloseable {
    private static final int CHUNK = 32;
    private static final String SEED = "seed";
    private static final String SUBJECT_CELLS = "subject_cells";
    private static final String ACCESSORY_CELLS = "accessory_cells";

    private final Tensor latents;
    private final Tensor subjectCells;
    private final Tensor accessoryCells;
    private final long[][] ids;

    private LatentPool(Tensor latents, Tensor subjectCells, Tensor accessoryCells, long[][] ids) {
        this.latents = latents;
        this.subjectCells = subjectCells;
        this.accessoryCells = accessoryCells;
        this.ids = ids;
    }

    /** Reads the pool from {@code file}, or builds it from {@code seed} and writes it there first. */
    static LatentPool loadOrBuild(Path file, AutoencoderKL vae, ClipTokenizer tokenizer, long seed, int size,
            PrintWriter log) {
        if (size <= 0 || size % CHUNK != 0) {
            throw new IllegalArgumentException("the latent pool's size must be a positive multiple of " + CHUNK
                    + ", not " + size);
        }
        if (!Files.exists(file)) {
            build(file, vae, tokenizer, seed, size, log);
        }
        try (SafeTensors st = SafeTensors.open(file)) {
            long[] shape = st.entry("latents").shape();
            if (shape[0] != size || !Long.toString(seed).equals(st.metadata().get(SEED))) {
                throw new IllegalArgumentException(file + " holds " + shape[0] + " scenes of seed "
                        + st.metadata().get(SEED) + ", not " + size + " of seed " + seed);
            }
            if (!st.entries().containsKey(SUBJECT_CELLS) || !st.entries().containsKey(ACCESSORY_CELLS)) {
                throw new IllegalArgumentException(file + " was built by an older Inkwell without the subjects' and"
                        + " named accessories' cells; delete it to build it again");
            }
            long[] flat = st.longs("input_ids");
            int length = Math.toIntExact(flat.length / size);
            long[][] rows = new long[size][];
            Arrays.setAll(rows, i -> Arrays.copyOfRange(flat, i * length, (i + 1) * length));
            return new LatentPool(Torch.floats(st.floats("latents"), shape),
                    Torch.floats(st.floats(SUBJECT_CELLS), st.entry(SUBJECT_CELLS).shape()),
                    Torch.floats(st.floats(ACCESSORY_CELLS), st.entry(ACCESSORY_CELLS).shape()), rows);
        }
    }

    private static void build(Path file, AutoencoderKL vae, ClipTokenizer tokenizer, long seed, int size, PrintWriter log) {
        float[] values = null;
        float[] subjects = null;
        float[] accessories = null;
        long[] latentShape = null;
        long[] flatIds = null;
        int length = 0;
        for (int chunk = 0; chunk < size / CHUNK; chunk++) {
            List<CaptionedSample> samples = CaptionedSample.draw(TrainingSteps.random(~seed, chunk), CHUNK);
            long[][] rows = tokenizer.encodeForModel(samples.stream().map(s -> s.caption().text()).toList());
            float[] encoded;
            try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                Tensor z = vae.toLatents(vae.encode(Images.toTensor(CaptionedSample.images(samples))).mean());
                if (values == null) {
                    latentShape = Torch.shape(z);
                    latentShape[0] = size;
                    values = new float[Math.toIntExact(Arrays.stream(latentShape).reduce(1, Math::multiplyExact))];
                    length = rows[0].length;
                    flatIds = new long[size * length];
                    subjects = new float[Math.toIntExact((long) size * latentShape[2] * latentShape[3])];
                    accessories = new float[subjects.length];
                }
                encoded = Torch.toFloats(z.contiguous());
            }
            System.arraycopy(encoded, 0, values, chunk * encoded.length, encoded.length);
            int grid = Math.toIntExact(latentShape[2]);
            for (int i = 0; i < CHUNK; i++) {
                int at = (chunk * CHUNK + i) * grid * grid;
                System.arraycopy(samples.get(i).subjectCells(grid), 0, subjects, at, grid * grid);
                System.arraycopy(samples.get(i).namedAccessoryCells(grid), 0, accessories, at, grid * grid);
                System.arraycopy(rows[i], 0, flatIds, (chunk * CHUNK + i) * length, length);
            }
            if ((chunk + 1) % 256 == 0 || (chunk + 1) * CHUNK == size) {
                log.printf(Locale.ROOT, "unet data: %d/%d scenes rendered and encoded%n", (chunk + 1) * CHUNK, size);
                log.flush();
            }
        }
        long[] cellShape = {size, 1, latentShape[2], latentShape[3]};
        SafeTensorsWriter.write(file, Map.of(
                        "latents", SafeTensorsWriter.Tensor.ofFloats(latentShape, values),
                        SUBJECT_CELLS, SafeTensorsWriter.Tensor.ofFloats(cellShape, subjects),
                        ACCESSORY_CELLS, SafeTensorsWriter.Tensor.ofFloats(cellShape, accessories),
                        "input_ids", SafeTensorsWriter.Tensor.ofLongs(new long[] {size, length}, flatIds)),
                Map.of(SEED, Long.toString(seed)));
    }

    int size() {
        return ids.length;
    }

    /** The latents of the scenes at {@code indices}, {@code [B, C, h, w]}. */
    Tensor latents(long[] indices) {
        return latents.index_select(0, Torch.longs(indices, indices.length));
    }

    /**
     * The extra weight of each latent cell in the loss of the scenes at {@code indices}, {@code [B, 1, h, w]}:
     * {@code subject} in the cells where the subject is drawn plus {@code accessory} in those the
     * accessory its caption names changes ({@link CaptionedSample#subjectCells},
     * {@link CaptionedSample#namedAccessoryCells}).
     */
    Tensor emphasis(long[] indices, double subject, double accessory) {
        Tensor at = Torch.longs(indices, indices.length);
        return subjectCells.index_select(0, at).mul(new Scalar(subject))
                .add(accessoryCells.index_select(0, at).mul(new Scalar(accessory)));
    }

    /** The caption token rows of the scenes at {@code indices}. */
    long[][] ids(long[] indices) {
        return Arrays.stream(indices).mapToObj(i -> ids[Math.toIntExact(i)]).toArray(long[][]::new);
    }

    @Override
    public void close() {
        latents.close();
        subjectCells.close();
        accessoryCells.close();
    }
}
