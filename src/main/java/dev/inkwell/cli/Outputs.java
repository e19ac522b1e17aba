package dev.inkwell.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks of a command's output files, made before any slow work so that a bad target costs
 * nothing: a folder that does not exist or cannot be written, a target that is a folder, a file
 * that would be replaced without {@code --overwrite}, two outputs on one path.
 */
final class Outputs {
    private Outputs() {}

    /** A file a command will write, and the option that names it. */
    record Target(Path path, String option) {}

    /** Refuses two targets on one path, then any target that cannot be written or would be replaced. */
    static void check(List<Target> targets, boolean overwrite) {
        Map<Path, String> seen = new HashMap<>();
        for (Target t : targets) {
            String before = seen.put(t.path().toAbsolutePath().normalize(), t.option());
            if (before != null) {
                throw new IllegalArgumentException(before + " and " + t.option() + " both name " + t.path());
            }
        }
        for (Target t : targets) {
            writable(t.path(), t.option());
            if (!overwrite) {
                refuseExisting(t.path());
            }
        }
    }

    /** One target's folder exists and can be written, and the target is not itself a folder. */
    static void writable(Path target, String option) {
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(option + " " + target + " is a folder, not a file");
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null || !Files.exists(parent)) {
            throw new IllegalArgumentException(option + " " + target + ": the folder " + parent + " does not exist");
        }
        if (!Files.isDirectory(parent)) {
            throw new IllegalArgumentException(option + " " + target + ": " + parent + " is a file, not a folder");
        }
        if (!Files.isWritable(parent)) {
            throw new IllegalArgumentException(option + " " + target + ": no permission to write into " + parent);
        }
    }

    static void refuseExisting(Path target) {
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " already exists (use --overwrite to replace it)");
        }
    }
}
