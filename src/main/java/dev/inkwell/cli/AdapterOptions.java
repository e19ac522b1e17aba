package dev.inkwell.cli;

import dev.inkwell.adapter.Adapter;
import dev.inkwell.adapter.AdapterFiles;
import dev.inkwell.adapter.Adapters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code --adapter DIR}, repeatable: learned concepts for generate and story. */
final class AdapterOptions {

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "A learned concept (personalize's output, or diffusers' Custom Diffusion weights with a learned"
                    + " embedding); repeat for several. Its token, e.g. <new1>, may then be used in prompts.")
    List<Path> folders = new ArrayList<>();

    /** The adapters, read and checked against each other. */
    List<Adapter> read() throws IOException {
        List<Adapter> adapters = new ArrayList<>();
        for (Path folder : folders) {
            adapters.add(AdapterFiles.read(folder));
        }
        Adapters.tokens(adapters);
        Adapters.keyValues(adapters);
        return adapters;
    }

    /** Refuses a text that uses a learned-token-like word no adapter brings, instead of reading it as plain text. */
    static void checkTokens(List<String> texts, List<Adapter> adapters) {
        String unknown = Adapters.unknownToken(texts, Adapters.tokens(adapters).keySet());
        if (unknown != null) {
            Set<String> known = Adapters.tokens(adapters).keySet();
            throw new IllegalArgumentException("the prompt uses " + unknown + ", which no --adapter brings"
                    + (known.isEmpty() ? "" : " (the adapters bring " + String.join(", ", known) + ")"));
        }
    }

    /** The infotext field naming the adapters' tokens, or none. */
    static Map<String, String> infoFields(List<Adapter> adapters) {
        Set<String> tokens = Adapters.tokens(adapters).keySet();
        return tokens.isEmpty() ? Map.of() : Map.of("Adapters", String.join(" ", tokens));
    }
}
