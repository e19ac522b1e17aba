package dev.inkwell.personalize;

import dev.inkwell.tensor.Torch;
import dev.inkwell.text.ClipTextModel;
import dev.inkwell.tokenizer.ClipTokenizer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * ClassDiffusion's Semantic Preservation Loss: {@code 1 - cos(f("a photo of a <new1> dog"),
 * f("a photo of a dog"))}, which keeps the personalized phrase where the class phrase is in the
 * text encoder's space. {@code f} is the final-LayerNorm state at the pooled position, without the
 * text projection. As in the released code, the learned token's position enters the encoder as its
 * bare token embedding (no position embedding), and the phrases are not padded.
 */
public final class SemanticPreservationLoss {

    /** Where {@code f} reads the phrase. */
    public enum Pooling {
        /** The end-of-text token, as the paper describes ("following CLIP"). */
        EOS,
        /**
         * The highest token id, as the released code reads SD 1.5's text encoder (its config's
         * {@code eos_token_id} is 2, so transformers' legacy rule applies): an added token's id is
         * above end-of-text, so this is the learned token's own position, which under the causal
         * mask sees only "a photo of a &lt;new1&gt;".
         */
        RELEASED
    }

    private final ClipTokenizer tokenizer;
    private final ClipTextModel encoder;
    private final Pooling pooling;

    /** @param tokenizer with the learned tokens added; {@code encoder} carries their rows */
    public SemanticPreservationLoss(ClipTokenizer tokenizer, ClipTextModel encoder, Pooling pooling) {
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.pooling = pooling;
    }

    /** The original's phrases: {@code "a photo of a " + token + " " + classWord} against {@code "a photo of a " + classWord}. */
    public Tensor loss(String token, String classWord) {
        Tensor personalized = feature("a photo of a " + token + " " + classWord);
        Tensor plain = feature("a photo of a " + classWord);
        return torch.cosine_similarity(personalized, plain).neg().add(new Scalar(1.0)).mean();
    }

    /** {@code f(phrase)}, {@code [1, hidden]}. */
    public Tensor feature(String phrase) {
        int[] ids = tokenizer.encode(phrase);
        long[][] row = {java.util.Arrays.stream(ids).asLongStream().toArray()};
        int vocab = encoder.config().vocabSize();
        float[] positioned = new float[ids.length];
        int pool = -1;
        for (int i = 0; i < ids.length; i++) {
            positioned[i] = ids[i] >= vocab ? 0 : 1;
            boolean better = pooling == Pooling.RELEASED ? pool < 0 || ids[i] > ids[pool] : pool < 0 && ids[i] == tokenizer.eosId();
            if (better) {
                pool = i;
            }
        }
        Tensor x = encoder.tokenEmbeddings(row)
                .add(encoder.positionEmbeddings(ids.length).mul(Torch.floats(positioned, ids.length, 1)).unsqueeze(0));
        return encoder.encodeEmbedded(x, new long[] {pool}).pooled();
    }
}
