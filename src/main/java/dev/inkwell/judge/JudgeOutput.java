package dev.inkwell.judge;

import java.util.List;

/** One {@link Judgement} per input image, in input order. */
public record JudgeOutput(List<Judgement> images) {

    public JudgeOutput {
        images = List.copyOf(images);
    }

    public Judgement get(int image) {
        return images.get(image);
    }
}
