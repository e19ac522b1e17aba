package dev.inkwell.pipeline;

import dev.inkwell.nn.Ops;
import dev.inkwell.text.ClipTextModel;
import dev.inkwell.text.TextEncoderOutput;
import dev.inkwell.tokenizer.ClipTokenizer;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Prompts to text embeddings as the diffusers pipelines compute them: SD 1.x/2.x take the text
 * encoder's last layer (after the final LayerNorm); SDXL concatenates the penultimate layers of
 * both encoders (no final LayerNorm) and takes the pooled, projected output of the second.
 */
public final class PromptEncoder {
    private final StableDiffusion model;

    public PromptEncoder(StableDiffusion model) {
        this.model = model;
    }

    public PromptEmbeddings encode(List<String> prompts) {
        TextEncoderOutput first = encodeWith(model.tokenizer(), model.textEncoder(), prompts);
        if (model.family() != ModelFamily.SDXL) {
            return new PromptEmbeddings(first.lastHiddenState(), null);
        }
        TextEncoderOutput second = encodeWith(model.tokenizer2(), model.textEncoder2(), prompts);
        Tensor context = Ops.cat(2, first.hiddenStateFromEnd(1), second.hiddenStateFromEnd(1));
        return new PromptEmbeddings(context, second.textEmbeds());
    }

    private static TextEncoderOutput encodeWith(ClipTokenizer tokenizer, ClipTextModel encoder, List<String> prompts) {
        long[][] ids = new long[prompts.size()][];
        for (int i = 0; i < ids.length; i++) {
            int[] row = tokenizer.encodeForModel(prompts.get(i));
            ids[i] = new long[row.length];
            for (int j = 0; j < row.length; j++) {
                ids[i][j] = row[j];
            }
        }
        return encoder.encode(ids);
    }
}
