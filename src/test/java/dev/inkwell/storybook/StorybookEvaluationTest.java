package dev.inkwell.storybook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inkwell.judge.Attribute;
import dev.inkwell.storybook.StorybookEvaluation.Confusion;
import dev.inkwell.storybook.StorybookEvaluation.Tally;
import dev.inkwell.world.Accessory;
import org.junit.jupiter.api.Test;

class StorybookEvaluationTest {

    @Test
    void confusionCountsRightAnswersOnTheDiagonalAndNamesTheCommonestMistake() {
        Confusion c = Confusion.empty(Attribute.ACCESSORY);
        int hat = Accessory.HAT.ordinal();
        int scarf = Accessory.SCARF.ordinal();
        int glasses = Accessory.GLASSES.ordinal();
        int none = Accessory.NONE.ordinal();
        c.counts()[hat][hat] = 5;
        c.counts()[hat][scarf] = 12;
        c.counts()[hat][none] = 7;
        c.counts()[scarf][scarf] = 13;
        c.counts()[glasses][glasses] = 8;

        assertEquals(new Tally(26, 45), c.tally());
        assertEquals(new Tally(5, 24), c.asked(hat));
        assertEquals(scarf, c.mostOftenInstead(hat));
        assertEquals(-1, c.mostOftenInstead(scarf), "every scarf was judged a scarf");
        assertEquals(new Tally(0, 0), c.asked(none));
    }
}
