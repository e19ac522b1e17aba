package dev.inkwell.cli;

import dev.inkwell.io.FileErrors;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code inkwell} command line. */
@Command(name = "inkwell", mixinStandardHelpOptions = true, version = {"Inkwell 0.1.0", "libtorch 2.10.0 (org.bytedeco:pytorch 2.10.0-1.5.13)"},
        description = "Stable Diffusion text-to-image in Java, on your own machine.",
        subcommands = {TokenizeCommand.class, GenerateCommand.class, StoryCommand.class, PersonalizeCommand.class, ServeCommand.class, EvalCommand.class, BenchCommand.class, WorldCommand.class, TrainCommand.class})
public final class Inkwell extends CommandGroup {

    /** Every subcommand's {@code --version} prints the tool's version and libtorch's. */
    private static void withVersion(CommandLine command, String[] version) {
        command.getCommandSpec().version(version);
        command.getSubcommands().values().forEach(sub -> withVersion(sub, version));
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Bad input of any kind ends in one line on stderr and a non-zero exit, never a stack trace. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Inkwell());
        // A prompt such as "@home" is a prompt, not a file of arguments to read.
        cli.setExpandAtFiles(false);
        withVersion(cli, cli.getCommandSpec().version());
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("inkwell: " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String message = describe(ex);
            commandLine.getErr().println("inkwell: error: " + message);
            if (System.getenv("INKWELL_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli;
    }

    /** An error as one line that names the thing and the reason. */
    private static String describe(Throwable ex) {
        Throwable cause = ex instanceof java.io.UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
        if (cause instanceof java.nio.file.FileSystemException f) {
            return FileErrors.describe(f);
        }
        return ex.getMessage() == null ? ex.toString() : ex.getMessage();
    }

}
