package dev.inkwell.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code inkwell} command line. */
@Command(name = "inkwell", mixinStandardHelpOptions = true, version = "Inkwell 0.1.0",
        description = "Stable Diffusion text-to-image in Java, on your own machine.",
        subcommands = {TokenizeCommand.class, GenerateCommand.class, StoryCommand.class, EvalCommand.class, BenchCommand.class, WorldCommand.class, TrainCommand.class})
public final class Inkwell implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Bad input of any kind ends in one line on stderr and a non-zero exit, never a stack trace. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Inkwell());
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("inkwell: " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            commandLine.getErr().println("inkwell: error: " + message);
            if (System.getenv("INKWELL_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
