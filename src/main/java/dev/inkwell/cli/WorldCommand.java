package dev.inkwell.cli;

import dev.inkwell.world.ContactSheet;
import dev.inkwell.world.Renderer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The procedural storybook world the default model is trained on. */
@Command(name = "world", mixinStandardHelpOptions = true,
        description = "Render a contact sheet of the storybook world (scenes with their captions).")
final class WorldCommand implements Callable<Integer> {
    /** The widest sheet written: as wide as most image viewers and browsers show whole. */
    private static final long MAX_SIDE = 16384;

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

    @Option(names = "--overwrite", description = "Replace an existing sheet and captions file.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (grid <= 0) {
            throw new IllegalArgumentException("--grid must be positive, not " + grid);
        }
        if (zoom <= 0) {
            throw new IllegalArgumentException("--zoom must be positive, not " + zoom);
        }
        long side = (long) grid * Renderer.DEFAULT_SIZE * zoom;
        if (side > MAX_SIDE) {
            throw new IllegalArgumentException("--grid " + grid + " at --zoom " + zoom + " makes a sheet over " + side
                    + " pixels wide; at most " + MAX_SIDE);
        }
        if (!output.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException("-o " + output + ": the sheet is a PNG image; name the file .png");
        }
        Outputs.check(List.of(new Outputs.Target(output, "-o"), new Outputs.Target(ContactSheet.captions(output), "-o (captions)")),
                overwrite);
        ContactSheet.write(output, seed, grid, grid, zoom, overwrite);
        spec.commandLine().getOut().println("wrote " + output + " and " + ContactSheet.captions(output));
        return 0;
    }
}
