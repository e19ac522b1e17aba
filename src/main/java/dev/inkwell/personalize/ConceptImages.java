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
 * captioned with the concept's instance prompt (or its class folder, with the class prompt), in
 * file-name order.
 */
public final class ConceptImages implements TrainingData {
    private final List<BufferedImage> images = new ArrayList<>();
    private final List<String> captions = new ArrayList<>();

    private ConceptImages() {}

    /** Every concept's pictures, captioned with its instance prompt. */
    public static ConceptImages instances(List<Concept> concepts) throws IOException {
        ConceptImages data = new ConceptImages();
        for (Concept c : concepts) {
            data.add(c.images(), c.instancePrompt(), "pictures of " + c.token());
        }
        return data;
    }

    /** The class pictures of the concepts that have them (prior preservation), captioned with the class prompt; or {@code null}. */
    public static ConceptImages classes(List<Concept> concepts) throws IOException {
        ConceptImages data = new ConceptImages();
        for (Concept c : concepts) {
            if (c.classImages() != null) {
                data.add(c.classImages(), c.classPrompt(), "class pictures of " + c.classWord());
            }
        }
        return data.size() == 0 ? null : data;
    }

    private void add(Path folder, String caption, String what) throws IOException {
        List<Path> files = files(folder);
        if (files.isEmpty()) {
            throw new IllegalArgumentException(folder + " holds no PNG or JPEG " + what);
        }
        for (Path f : files) {
            images.add(Images.read(f));
            captions.add(caption);
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
