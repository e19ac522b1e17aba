package dev.inkwell.personalize;

import java.nio.file.Path;

/**
 * One concept to learn: its new token, the class it belongs to, the vocabulary entry its
 * embedding starts from, and its pictures.
 *
 * @param token the new token, e.g. {@code <new1>}
 * @param classWord the class, e.g. {@code dog}: the Semantic Preservation Loss keeps "a photo of a
 *     &lt;new1&gt; dog" near "a photo of a dog"
 * @param initializer the vocabulary entry (not a tokenized word) whose row the new token starts from,
 *     as the original does ({@code ktn}, id 42170 in CLIP's vocabulary)
 * @param instancePrompt the caption of every training picture, e.g. "a photo of a &lt;new1&gt; dog"
 * @param images the folder of training pictures
 * @param classPrompt the class's caption for prior preservation ("a photo of a dog"), or {@code null}
 * @param classImages the folder of class pictures for prior preservation, or {@code null}
 */
public record Concept(String token, String classWord, String initializer, String instancePrompt, Path images,
        String classPrompt, Path classImages) {
    /** The original's default initializer ({@code --initializer_token ktn}). */
    public static final String INITIALIZER = "ktn";

    public Concept {
        if (token == null || !dev.inkwell.adapter.Adapters.TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("a concept's token is written in angle brackets, e.g. <new1>, not " + token);
        }
        if (classWord == null || classWord.isBlank()) {
            throw new IllegalArgumentException("the concept " + token + " needs a class word, e.g. dog");
        }
        if (instancePrompt == null || !instancePrompt.contains(token)) {
            throw new IllegalArgumentException("the instance prompt of " + token + " must contain it, not: " + instancePrompt);
        }
        if (classImages != null && (classPrompt == null || classPrompt.isBlank())) {
            throw new IllegalArgumentException("class pictures of " + token + " need a class prompt");
        }
    }

    /** This concept with prior preservation: class pictures in {@code folder}, captioned {@code prompt}. */
    public Concept withClassImages(Path folder, String prompt) {
        return new Concept(token, classWord, initializer, instancePrompt, images, prompt, folder);
    }

    /** One concept with the original's captions: "a photo of a {@code token} {@code classWord}". */
    public static Concept of(String token, String classWord, Path images) {
        return new Concept(token, classWord, INITIALIZER, "a photo of a " + token + " " + classWord, images, null, null);
    }
}
