package dev.inkwell.pipeline;

import dev.inkwell.nn.Ops;
import dev.inkwell.prompt.ChunkedPrompt;
import dev.inkwell.prompt.Prompt;
import dev.inkwell.prompt.PromptChunker;
import dev.inkwell.prompt.TokenChunk;
import dev.inkwell.tensor.Torch;
import dev.inkwell.text.ClipTextModel;
import dev.inkwell.text.TextEncoderOutput;
import dev.inkwell.tokenizer.ClipTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Prompts to UNet conditioning, as AUTOMATIC1111 does it on top of the diffusers encoders.
 *
 * <ul>
 *   <li>Each prompt is split into chunks of 75 tokens ({@link PromptChunker}: a break at the
 *       last comma of a chunk's final 20 tokens, and at {@code BREAK}); each chunk is framed
 *       with BOS/EOS, padded to 77, encoded alone, and the chunks are concatenated along the
 *       sequence.
 *   <li>Weights from {@code (word:1.2)} syntax scale each token's embedding; the chunk is then
 *       rescaled to keep its original mean. AUTOMATIC1111 takes that mean over the whole batch;
 *       Inkwell takes it per prompt, so an image does not depend on its batch neighbours.
 *   <li>SD 1.x/2.x use the last layer after the final LayerNorm, or with clip skip k the output
 *       of layer L-k+1, then the final LayerNorm. SDXL concatenates the penultimate layers of
 *       both encoders (no LayerNorm) and takes the pooled, projected output of the second
 *       encoder for the first chunk.
 *   <li>Rows of different lengths are zero-padded and masked, so cross-attention ignores the
 *       padding and each row gives what it would give alone.
 * </ul>
 */
public final class PromptEncoder {
    private final StableDiffusion model;

    public PromptEncoder(StableDiffusion model) {
        this.model = model;
    }

    public StableDiffusion model() {
        return model;
    }

    /**
     * @param prompts one per row; a {@code null} entry gives all-zero embeddings of one chunk
     *     (SDXL's unconditional input when there is no negative prompt)
     */
    public PromptEmbeddings encode(List<String> prompts, int clipSkip) {
        return encodePrompts(prompts.stream().map(p -> p == null ? null : Prompt.of(p)).toList(), clipSkip);
    }

    /**
     * Prompts of named parts; each row's {@link PromptEmbeddings#tokens} tells where every part's
     * tokens sit in its sequence. On SDXL those are the first tokenizer's positions, which both
     * encoders' states share unless a "!" makes the second tokenizer chunk differently.
     *
     * @param prompts one per row; a {@code null} entry gives all-zero embeddings of one chunk
     */
    public PromptEmbeddings encodePrompts(List<Prompt> prompts, int clipSkip) {
        boolean xl = model.family() == ModelFamily.SDXL;
        List<Tensor> rows = new ArrayList<>();
        List<Tensor> pooled = new ArrayList<>();
        List<ChunkedPrompt> tokens = new ArrayList<>();
        for (Prompt prompt : prompts) {
            if (prompt == null) {
                rows.add(null);
                pooled.add(null);
                tokens.add(null);
                continue;
            }
            ChunkedPrompt chunked = new PromptChunker(model.tokenizer()).chunk(prompt);
            tokens.add(chunked);
            List<TokenChunk> first = chunked.chunks();
            if (!xl) {
                rows.add(encodeChunks(model.textEncoder(), first, clipSkip, null));
                continue;
            }
            List<TokenChunk> second = new PromptChunker(model.tokenizer2()).chunk(prompt).chunks();
            // The tokenizers differ only in how they treat "!", which can change the chunk
            // count; the shorter side gets empty chunks so the two line up.
            first = padChunks(first, second.size(), model.tokenizer());
            second = padChunks(second, first.size(), model.tokenizer2());
            Tensor[] pool = new Tensor[1];
            Tensor a = encodeChunks(model.textEncoder(), first, clipSkip, null);
            Tensor b = encodeChunks(model.textEncoder2(), second, clipSkip, pool);
            rows.add(Ops.cat(2, a, b));
            pooled.add(pool[0]);
        }
        List<Integer> widths = xl
                ? List.of(model.textEncoder().config().hiddenSize(),
                        model.textEncoder2().config().hiddenSize())
                : List.of(model.unet().config().crossAttentionDim());
        return assemble(rows, xl ? pooled : null, tokens, widths);
    }

    /**
     * The chunks of one prompt as {@code [1, 77 * chunks, D]}.
     *
     * @param clipSkip SD 1.x/2.x only (SDXL always takes the penultimate layer)
     * @param pooledOut receives the first chunk's projected pooled output, if not {@code null}
     */
    private Tensor encodeChunks(ClipTextModel encoder, List<TokenChunk> chunks, int clipSkip, Tensor[] pooledOut) {
        long[][] ids = new long[chunks.size()][];
        for (int i = 0; i < ids.length; i++) {
            int[] row = chunks.get(i).ids();
            ids[i] = new long[row.length];
            for (int j = 0; j < row.length; j++) {
                ids[i][j] = row[j];
            }
        }
        TextEncoderOutput out = encoder.encode(ids);
        Tensor z;
        if (model.family() == ModelFamily.SDXL) {
            z = out.hiddenStateFromEnd(1);
        } else if (clipSkip == 1) {
            z = out.lastHiddenState();
        } else {
            z = encoder.finalLayerNorm(out.hiddenStateFromEnd(clipSkip - 1));
        }
        if (pooledOut != null) {
            pooledOut[0] = out.textEmbeds().narrow(0, 0, 1);
        }
        List<Tensor> weighted = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            weighted.add(emphasise(z.narrow(0, i, 1), chunks.get(i).weights()));
        }
        return Ops.cat(1, weighted.toArray(new Tensor[0])).reshape(1, -1, z.size(2));
    }

    /** Scales each token by its weight, then restores the chunk's mean (AUTOMATIC1111's "Original"). */
    private static Tensor emphasise(Tensor z, float[] weights) {
        boolean plain = true;
        for (float w : weights) {
            plain &= w == 1f;
        }
        if (plain) {
            return z;
        }
        Tensor originalMean = z.mean();
        Tensor scaled = z.mul(Torch.floats(weights, 1, weights.length, 1).to(z.scalar_type()));
        return scaled.mul(originalMean.div(scaled.mean()));
    }

    private static List<TokenChunk> padChunks(List<TokenChunk> chunks, int count, ClipTokenizer tokenizer) {
        if (chunks.size() >= count) {
            return chunks;
        }
        List<TokenChunk> out = new ArrayList<>(chunks);
        TokenChunk empty = new PromptChunker(tokenizer).chunk("").chunks().get(0);
        while (out.size() < count) {
            out.add(empty);
        }
        return out;
    }

    /** Stacks rows into one batch, zero-padding and masking rows shorter than the longest. */
    private PromptEmbeddings assemble(List<Tensor> rows, List<Tensor> pooled, List<ChunkedPrompt> tokens,
            List<Integer> widths) {
        Tensor any = rows.stream().filter(r -> r != null).findFirst().orElse(null);
        long width = any != null ? any.size(2) : model.unet().config().crossAttentionDim();
        ScalarType type = any != null ? any.scalar_type().intern() : ScalarType.Float;
        TensorOptions options = new TensorOptions(type);
        long chunkLength = model.tokenizer().maxLength();
        long longest = chunkLength;
        for (Tensor r : rows) {
            longest = r == null ? longest : Math.max(longest, r.size(1));
        }
        boolean ragged = false;
        List<Tensor> padded = new ArrayList<>();
        boolean[] valid = new boolean[Math.toIntExact(rows.size() * longest)];
        for (int i = 0; i < rows.size(); i++) {
            Tensor r = rows.get(i) == null ? torch.zeros(new long[] {1, chunkLength, width}, options) : rows.get(i);
            long length = r.size(1);
            ragged |= length != longest;
            if (length < longest) {
                r = Ops.cat(1, r, torch.zeros(new long[] {1, longest - length, width}, options));
            }
            padded.add(r);
            for (int j = 0; j < length; j++) {
                valid[Math.toIntExact(i * longest + j)] = true;
            }
        }
        Tensor context = Ops.cat(0, padded.toArray(new Tensor[0]));
        Tensor mask = ragged ? Torch.bools(valid, rows.size(), longest) : null;
        Tensor pool = null;
        if (pooled != null) {
            long p = model.textEncoder2().config().projectionDim();
            List<Tensor> ps = new ArrayList<>();
            for (Tensor t : pooled) {
                ps.add(t == null ? torch.zeros(new long[] {1, p}, options) : t);
            }
            pool = Ops.cat(0, ps.toArray(new Tensor[0]));
        }
        return new PromptEmbeddings(context, mask, pool, tokens, widths);
    }
}
