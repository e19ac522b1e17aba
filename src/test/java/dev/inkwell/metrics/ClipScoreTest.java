package dev.inkwell.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.storybook.StorybookModel;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsWriter;
import dev.inkwell.weights.TensorEntry;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipScoreTest {

    /**
     * The storybook CLIP rewritten as a transformers CLIPModel folder (one weights file, config,
     * tokenizer files) loads through the path real CLIP models take and gives the same text
     * embeddings; its images go through OpenAI's normalisation instead.
     */
    @Test
    void aTransformersClipModelFolderLoadsAndScores(@TempDir Path dir) throws Exception {
        Path model = StorybookModel.folder();
        Map<String, SafeTensorsWriter.Tensor> all = new LinkedHashMap<>();
        for (Path file : List.of(model.resolve("text_encoder/model.safetensors"), model.resolve("clip/model.safetensors"))) {
            try (SafeTensors st = SafeTensors.open(file)) {
                for (TensorEntry e : st.entries().values()) {
                    all.put(e.name(), SafeTensorsWriter.Tensor.ofFloats(e.shape(), st.floats(e.name())));
                }
            }
        }
        SafeTensorsWriter.write(dir.resolve("model.safetensors"), all);
        Files.copy(model.resolve("clip/config.json"), dir.resolve("config.json"));
        try (var files = Files.list(model.resolve("tokenizer"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dir.resolve(f.getFileName().toString()));
            }
        }
        List<String> texts = List.of("a red fox in the snow", "a blue fish underwater");
        try (ClipScore own = ClipScore.ofModel(model); ClipScore folder = ClipScore.ofTransformersFolder(dir)) {
            Tensor a = own.texts(texts);
            Tensor b = folder.texts(texts);
            assertTrue(a.sub(b).abs().max().item_double() < 1e-5, "the same text tower");
            BufferedImage fox = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            double[] s = folder.textSimilarity(List.of(fox, fox), texts);
            assertEquals(2, s.length);
            assertTrue(Double.isFinite(s[0]) && Math.abs(s[0]) <= 1.0001);
            assertEquals(1.0, folder.meanPairwiseSimilarity(List.of(fox, fox)), 1e-5);
        }
    }
}
