package dev.inkwell.pipeline;

import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Classifier-free guidance: which branches the UNet predicts for every image, and how their
 * noise predictions combine into the one the scheduler steps with.
 */
public sealed interface Guidance {

    /** One conditioning of an image; the guided batch holds one row per branch and image ({@link GuidanceRows}). */
    enum Branch {
        /** The empty prompt (zeros on SDXL models that force them). */
        UNCONDITIONAL,
        /** The negative prompt, or the unconditional input where an image has none. */
        NEGATIVE,
        /** The prompt. */
        POSITIVE
    }

    /** The branches in batch order. */
    List<Branch> branches();

    /**
     * @param byBranch the UNet's prediction for each branch of {@link #branches()}, in that order,
     *     each {@code [images, C, h, w]}
     */
    Tensor combine(List<Tensor> byBranch);

    /** The guidance {@code request} asks for. */
    static Guidance of(GenerationRequest request) {
        if (request.guidance() <= 1.0) {
            return new Unguided();
        }
        return request.separateNegativeBranch()
                ? new NegativeBranch(request.guidance(), request.negativeGuidance())
                : new ClassifierFree(request.guidance());
    }

    /** The positive branch alone (guidance scale at most 1). */
    record Unguided() implements Guidance {
        @Override
        public List<Branch> branches() {
            return List.of(Branch.POSITIVE);
        }

        @Override
        public Tensor combine(List<Tensor> byBranch) {
            return byBranch.get(0);
        }
    }

    /**
     * diffusers' guidance, {@code negative + scale * (positive - negative)}: the negative prompt
     * replaces the unconditional one.
     */
    record ClassifierFree(double scale) implements Guidance {
        @Override
        public List<Branch> branches() {
            return List.of(Branch.NEGATIVE, Branch.POSITIVE);
        }

        @Override
        public Tensor combine(List<Tensor> byBranch) {
            Tensor negative = byBranch.get(0);
            return negative.add(byBranch.get(1).sub(negative).mul(new Scalar(scale)));
        }
    }

    /**
     * The negative prompt as a branch of its own with its own scale, {@code uncond + scale *
     * (positive - uncond) - negativeScale * (negative - uncond)} (Composable Diffusion's negation).
     */
    record NegativeBranch(double scale, double negativeScale) implements Guidance {
        @Override
        public List<Branch> branches() {
            return List.of(Branch.UNCONDITIONAL, Branch.NEGATIVE, Branch.POSITIVE);
        }

        @Override
        public Tensor combine(List<Tensor> byBranch) {
            Tensor uncond = byBranch.get(0);
            Tensor guided = uncond.add(byBranch.get(2).sub(uncond).mul(new Scalar(scale)));
            return guided.sub(byBranch.get(1).sub(uncond).mul(new Scalar(negativeScale)));
        }
    }
}
