package dev.inkwell.story;

import dev.inkwell.nn.Attention;
import dev.inkwell.nn.AttentionProcessor;
import dev.inkwell.nn.AttentionProcessors;
import dev.inkwell.nn.Ops;
import dev.inkwell.pipeline.ConditioningStage;
import dev.inkwell.pipeline.Guidance.Branch;
import dev.inkwell.pipeline.GuidanceRows;
import dev.inkwell.pipeline.PromptEmbeddings;
import dev.inkwell.pipeline.PromptEncoder;
import dev.inkwell.prompt.Prompt;
import dev.inkwell.prompt.TokenRange;
import dev.inkwell.tensor.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * 1Prompt1Story's edits of one frame's conditioning, between encoding and denoising.
 *
 * <ol>
 *   <li><b>Singular-Value Reweighting</b> of each positive row, separately on each text
 *       encoder's channels (both of SDXL's, the one of SD 1.x/2.x): first every suppressed frame
 *       in turn, then the expressed frame, each call over the frame's words and (mode {@code
 *       svr}) the end-of-text and padding rows. The pooled embedding is not touched.
 *   <li><b>Identity-Preserving Cross-Attention</b>: the identity prompt encoded alone is appended
 *       to every row's text, and the key mask lets only the positive rows see its start token
 *       and identity words; the unconditional and negative rows see only their own text. With no
 *       dropout this is exactly the original's attention over the identity pass's stored keys
 *       and values, in one pass. With dropout, each query misses each identity key by chance.
 * </ol>
 */
public final class StoryConditioning implements ConditioningStage {
    private static final double EOT_SCALE = 0.9;

    private final FramePlan plan;
    private final StorySettings settings;
    private final int clipSkip;
    private final long seed;
    /** Set by {@link #edit} with IPCA: where the identity's positions start, and those the positive rows see. */
    private long identityStart = -1;
    private List<Integer> visible = List.of();

    /**
     * @param clipSkip the clip skip the frames are encoded with, for the identity prompt's encoding
     * @param seed draws the IPCA dropout, if any
     */
    public StoryConditioning(FramePlan plan, StorySettings settings, int clipSkip, long seed) {
        this.plan = plan;
        this.settings = settings;
        this.clipSkip = clipSkip;
        this.seed = seed;
    }

    @Override
    public PromptEmbeddings edit(PromptEmbeddings text, GuidanceRows rows, PromptEncoder encoder) {
        Tensor context = text.context().clone();
        if (settings.svrMode() != SvrMode.ORIGINAL) {
            for (int row = 0; row < rows.rows(); row++) {
                if (rows.branch(row) == Branch.POSITIVE) {
                    reweight(context.select(0, row), new TokenRanges(encoder.model().tokenizer(), text.tokens().get(row)),
                            text.encoderWidths());
                }
            }
        }
        if (!settings.ipca()) {
            return text.withContext(context, text.mask());
        }
        return appendIdentity(text, context, rows, encoder);
    }

    @Override
    public AttentionProcessors processors(PromptEmbeddings text, GuidanceRows rows) {
        if (!settings.ipca() || settings.ipcaDropout() == 0) {
            return AttentionProcessors.DEFAULT;
        }
        if (identityStart < 0) {
            throw new IllegalStateException("the identity prompt is appended by edit, which has not run");
        }
        return AttentionProcessors.crossAttention(new IdentityDropout(rows, identityStart, visible,
                settings.ipcaDropout(), new SplittableRandom(seed)));
    }

    /** The reweighting calls on one row {@code [L, D]}, per encoder's channels. */
    private void reweight(Tensor row, TokenRanges ranges, List<Integer> widths) {
        List<Integer> eot = ranges.endOfText();
        List<TokenRange> suppressed = plan.suppress().stream().map(ranges::of).toList();
        TokenRange expressed = ranges.of(plan.express());
        long start = 0;
        for (int width : widths) {
            Tensor e = row.narrow(1, start, width);
            for (TokenRange words : suppressed) {
                reweightOne(e, words, eot, settings.suppress());
            }
            reweightOne(e, expressed, eot, settings.express());
            start += width;
        }
    }

    private void reweightOne(Tensor e, TokenRange words, List<Integer> eot, Reweighting w) {
        TreeSet<Integer> rows = new TreeSet<>();
        for (int i = words.start(); i < words.end(); i++) {
            rows.add(i);
        }
        if (settings.svrMode() == SvrMode.SVR) {
            rows.addAll(eot);
        } else {
            Tensor index = Torch.longs(eot.stream().mapToLong(Integer::longValue).toArray(), eot.size());
            e.index_copy_(0, index, e.index_select(0, index).mul(new Scalar(EOT_SCALE)));
        }
        SingularValueReweighting.apply(e, rows.stream().mapToLong(Integer::longValue).toArray(), w);
    }

    /**
     * Every row's text followed by the identity prompt's own 77 positions, visible only to the
     * positive rows and only at its start token and identity words.
     */
    private PromptEmbeddings appendIdentity(PromptEmbeddings text, Tensor context, GuidanceRows rows, PromptEncoder encoder) {
        PromptEmbeddings identity = encoder.encodePrompts(List.of(Prompt.of(plan.identity())), clipSkip);
        Tensor id = identity.context().to(context.scalar_type());
        long b = context.size(0);
        long length = context.size(1);
        long idLength = id.size(1);
        List<Integer> seen = new ArrayList<>();
        seen.add(0);
        for (int p : identity.tokens().get(0).positions(Prompt.WHOLE)) {
            seen.add(p);
        }
        this.identityStart = length;
        this.visible = List.copyOf(seen);
        List<Tensor> extended = new ArrayList<>();
        Tensor zeros = torch.zeros(new long[] {1, idLength, context.size(2)}, new TensorOptions(context.scalar_type()));
        boolean[] mask = new boolean[Math.toIntExact(b * (length + idLength))];
        boolean[] own = text.mask() == null ? null : Torch.toBooleans(text.mask());
        for (int row = 0; row < b; row++) {
            boolean positive = rows.branch(row) == Branch.POSITIVE;
            extended.add(Ops.cat(1, context.narrow(0, row, 1), positive ? id : zeros));
            int base = Math.toIntExact(row * (length + idLength));
            for (int j = 0; j < length; j++) {
                mask[base + j] = own == null || own[Math.toIntExact(row * length + j)];
            }
            if (positive) {
                for (int p : visible) {
                    mask[Math.toIntExact(base + length + p)] = true;
                }
            }
        }
        return text.withContext(Ops.cat(0, extended.toArray(new Tensor[0])), Torch.bools(mask, b, length + idLength));
    }

    /**
     * IPCA dropout: on the positive rows, each query sees each visible identity key with
     * probability {@code 1 - p} (the original's per-query Bernoulli mask); the frame's own keys
     * are always seen.
     */
    private static final class IdentityDropout implements AttentionProcessor {
        private final GuidanceRows rows;
        private final long identityStart;
        private final List<Integer> visible;
        private final double p;
        private final SplittableRandom random;

        IdentityDropout(GuidanceRows rows, long identityStart, List<Integer> visible, double p, SplittableRandom random) {
            this.rows = rows;
            this.identityStart = identityStart;
            this.visible = visible;
            this.p = p;
            this.random = random;
        }

        @Override
        public Tensor process(Attention attn, Tensor x, Tensor context, Tensor keyMask) {
            long b = x.size(0);
            long queries = x.size(1);
            long keys = context.size(1);
            Tensor mask = keyMask.view(b, 1, 1, keys).expand(b, 1, queries, keys).contiguous();
            boolean[] keep = new boolean[Math.toIntExact(queries)];
            for (int row = 0; row < b; row++) {
                if (rows.branch(row) != Branch.POSITIVE) {
                    continue;
                }
                for (int position : visible) {
                    for (int q = 0; q < keep.length; q++) {
                        keep[q] = random.nextDouble() >= p;
                    }
                    mask.select(0, row).select(0, 0).select(1, identityStart + position)
                            .logical_and_(Torch.bools(keep, queries));
                }
            }
            return attn.output(attn.attend(attn.query(x), attn.key(context), attn.value(context), mask));
        }
    }
}
