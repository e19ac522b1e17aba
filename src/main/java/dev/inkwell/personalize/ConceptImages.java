package dev.inkwell.personalize;

import dev.inkwell.image.Images;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Training pictures with their captions: every PNG or JPEG (any size) in each concept's folder,
 * captioned with the concept's instance prompt, in file-name order.
 */
public final class ConceptImages implements TrainingData {
    private final List<BufferedImage> images = new ArrayList<>();
    private final List<String> captions = new ArrayList<>();

    public ConceptImages(List<Concept> concepts) throws IOException {
        for (Concept c : concepts) {
            List<Path> files = files(c.images());
            if (files.isEmpty()) {
                throw new IllegalArgumentException(c.images() + " holds no PNG or JPEG pictures of " + c.token());
            }
            for (Path f : files) {
                images.add(Images.read(f));
                captions.add(c.instancePrompt());
            }
        }
    }

    /** The pictures of a folder: PNG and JPEG files, sorted by name. */
    static List<Path> files(Path folder) throws IOException {
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("picture folder " + folder + " does not exist");
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted().toList();
        }
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public BufferedImage image(int index) {
        return images.get(index);
    }

    @Override
    public String caption(int index) {
        return captions.get(index);
    }
}
