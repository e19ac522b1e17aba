package dev.inkwell.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Gatekeeper for checkpoint files. PyTorch checkpoints ({@code .ckpt}, {@code .bin}, {@code .pt},
 * {@code .pth}, {@code .pkl}) are pickles, and unpickling can run arbitrary code, so Inkwell refuses
 * them outright, by extension and by content, and tells the user how to convert them.
 */
public final class CheckpointFiles {

    private static final Set<String> PICKLE_EXTENSIONS = Set.of("ckpt", "bin", "pt", "pth", "pkl");

    private static final String CONVERSION_HINT = """
            Inkwell never executes pickles, because loading one can run arbitrary code. \
            Convert to safetensors once, with Python:
              diffusers folder: python -c "from diffusers import StableDiffusionPipeline as P; \
            P.from_pretrained('DIR').save_pretrained('OUT', safe_serialization=True)"
              single .ckpt:     python -c "import torch, safetensors.torch as st; \
            sd=torch.load('model.ckpt', map_location='cpu', weights_only=True); \
            st.save_file({k:v.contiguous() for k,v in sd.get('state_dict', sd).items() \
            if hasattr(v,'contiguous')}, 'model.safetensors')\"""";

    private CheckpointFiles() {
    }

    /**
     * Refuses {@code file} unless it can be a safetensors file: a pickle extension, or content that
     * starts like a zip archive ({@code torch.save}'s format) or a pickle stream, is rejected.
     * Anything else is left for {@link SafeTensors#open} to validate.
     *
     * @throws WeightsException naming the file, with conversion instructions, if it is refused;
     *     or if it is not a readable regular file
     */
    public static void requireSafetensors(Path file) {
        Path fileName = file.getFileName();
        String name = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
        String extension = name.substring(name.lastIndexOf('.') + 1);
        if (name.contains(".") && PICKLE_EXTENSIONS.contains(extension)) {
            throw refused(file, "." + extension + " files are PyTorch pickle checkpoints");
        }
        requireSafetensorsContent(file);
    }

    /**
     * {@link #requireSafetensors} by content alone, for formats that give safetensors files other
     * extensions (ClassDiffusion writes its learned embedding as safetensors bytes named {@code .bin}).
     */
    public static void requireSafetensorsContent(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new WeightsException(file + ": not found or not a regular file");
        }
        byte[] head = readHead(file);
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            throw refused(file, "it is a zip archive (PK\\x03\\x04), the torch.save format wrapping a pickle");
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0x80 && head[1] >= 2 && head[1] <= 5
                && !startsLikeSafetensors(head)) {
            throw refused(file, "it starts with pickle protocol " + head[1] + " marker (0x80 0x0" + head[1] + ")");
        }
    }

    /** Whether {@code file} starts as a safetensors file does: a plausible header length, then JSON. */
    public static boolean startsLikeSafetensors(Path file) {
        return startsLikeSafetensors(readHead(file));
    }

    /**
     * A safetensors header length can begin with the byte 0x80 too (e.g. 640 = 0x0280), so a file
     * whose length prefix is plausible and whose JSON starts right after it is not taken for a pickle.
     */
    private static boolean startsLikeSafetensors(byte[] head) {
        if (head.length < 9) {
            return false;
        }
        long headerLength = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return headerLength >= 0 && headerLength <= HeaderParser.MAX_HEADER_BYTES && head[8] == '{';
    }

    private static byte[] readHead(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(9);
        } catch (IOException e) {
            throw new WeightsException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static WeightsException refused(Path file, String reason) {
        return new WeightsException(file + ": refused: " + reason + ". " + CONVERSION_HINT);
    }
}
