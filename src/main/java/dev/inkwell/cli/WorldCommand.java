package dev.inkwell.cli;

import dev.inkwell.world.ContactSheet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The procedural storybook world the default model is trained on. */
@Command(name = "world", mixinStandardHelpOptions = true,
        description = "Render a contact sheet of the storybook world (scenes with their captions).")
final class WorldCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.png",
            description = "The sheet to write; the captions go to FILE.txt beside it.")
    Path output;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the scenes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--grid", defaultValue = "8", description = "Scenes per row and column (default: ${DEFAULT-VALUE}).")
    int grid;

    @Option(names = "--zoom", defaultValue = "2", description = "Pixel zoom of the 64x64 scenes (default: ${DEFAULT-VALUE}).")
    int zoom;

    @Override
    public Integer call() throws Exception {
        if (grid <= 0 || zoom <= 0) {
            throw new IllegalArgumentException("--grid and --zoom must be positive");
        }
        ContactSheet.write(output, seed, grid, grid, zoom);
        spec.commandLine().getOut().println("wrote " + output);
        return 0;
    }
}
