package dev.inkwell.personalize;

import java.awt.image.BufferedImage;

/** Pictures and their captions, what a personalization trains on. */
public interface TrainingData {
    int size();

    BufferedImage image(int index);

    String caption(int index);
}
