package dev.inkwell.judge;

import dev.inkwell.world.Scene;
import java.util.Map;

/** What the judge sees in one image: a prediction for every attribute. */
public record Judgement(Map<Attribute, Prediction> predictions) {

    public Judgement {
        predictions = Map.copyOf(predictions);
    }

    public Prediction get(Attribute attribute) {
        return predictions.get(attribute);
    }

    /** Whether the predicted value of {@code attribute} is the scene's. */
    public boolean agrees(Scene scene, Attribute attribute) {
        return get(attribute).value() == attribute.of(scene);
    }
}
