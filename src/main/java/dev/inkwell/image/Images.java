package dev.inkwell.image;

import dev.inkwell.io.AtomicFiles;
import dev.inkwell.tensor.Torch;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.bytedeco.pytorch.Tensor;

/** Conversions between decoded tensors and images, and safe PNG writing. */
public final class Images {
    private static final int GRID_GUTTER = 2;

    private static final String PNG_FORMAT = "javax_imageio_png_1.0";

    private Images() {}

    /** {@code [1, 3, H, W]} in [-1, 1] to an RGB image, clamping as the pipelines do. */
    public static BufferedImage fromTensor(Tensor image) {
        if (image.size(0) != 1) {
            throw new IllegalArgumentException("one image expected, not a batch of " + image.size(0));
        }
        return fromBatch(image)[0];
    }

    /** {@code [B, 3, H, W]} in [-1, 1] to RGB images, clamping as the pipelines do. */
    public static BufferedImage[] fromBatch(Tensor images) {
        int h = Math.toIntExact(images.size(2));
        int w = Math.toIntExact(images.size(3));
        float[] v = Torch.toFloats(images);
        int plane = h * w;
        BufferedImage[] out = new BufferedImage[Math.toIntExact(images.size(0))];
        for (int b = 0; b < out.length; b++) {
            out[b] = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int base = b * 3 * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = base + y * w + x;
                    int rgb = (toByte(v[i]) << 16) | (toByte(v[plane + i]) << 8) | toByte(v[2 * plane + i]);
                    out[b].setRGB(x, y, rgb);
                }
            }
        }
        return out;
    }

    /** RGB images of one size as a batch {@code [B, 3, H, W]} in [-1, 1], the VAE encoder's input. */
    public static Tensor toTensor(BufferedImage... images) {
        int h = images[0].getHeight();
        int w = images[0].getWidth();
        int plane = h * w;
        float[] v = new float[images.length * 3 * plane];
        for (int b = 0; b < images.length; b++) {
            BufferedImage image = images[b];
            if (image.getHeight() != h || image.getWidth() != w) {
                throw new IllegalArgumentException("images of one batch must have one size");
            }
            int base = b * 3 * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    putPixel(v, plane, base + y * w + x, image.getRGB(x, y));
                }
            }
        }
        return Torch.floats(v, images.length, 3, h, w);
    }

    /** One RGB pixel into channel planes {@code plane} values apart, at {@code at}, in [-1, 1]. */
    public static void putPixel(float[] planes, int plane, int at, int rgb) {
        planes[at] = ((rgb >> 16) & 0xFF) / 127.5f - 1f;
        planes[plane + at] = ((rgb >> 8) & 0xFF) / 127.5f - 1f;
        planes[2 * plane + at] = (rgb & 0xFF) / 127.5f - 1f;
    }

    /** The image scaled to {@code width x height} (bicubic), or itself when it already has that size. */
    public static BufferedImage resize(BufferedImage image, int width, int height) {
        if (image.getWidth() == width && image.getHeight() == height) {
            return image;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    /** Reads an image file, with one clear error when it is missing or not an image. */
    public static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": image not found");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot be decoded as an image ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
        if (image == null) {
            throw new IOException(file + ": not a readable image (PNG, JPEG, BMP or GIF)");
        }
        return image;
    }

    /** A PNG's bytes with text chunks, as {@link #writePng} writes it (for HTTP responses). */
    public static byte[] pngBytes(BufferedImage image, Map<String, String> text) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writeWithText(image, out, text);
        }
        return bytes.toByteArray();
    }

    private static void writeWithText(BufferedImage image, Path file, Map<String, String> text) throws IOException {
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writeWithText(image, out, text);
        }
    }

    private static void writeWithText(BufferedImage image, ImageOutputStream out, Map<String, String> text) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            IIOMetadataNode root = new IIOMetadataNode(PNG_FORMAT);
            IIOMetadataNode tEXt = new IIOMetadataNode("tEXt");
            IIOMetadataNode iTXt = new IIOMetadataNode("iTXt");
            for (Map.Entry<String, String> e : text.entrySet()) {
                if (StandardCharsets.ISO_8859_1.newEncoder().canEncode(e.getValue())) {
                    IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
                    entry.setAttribute("keyword", e.getKey());
                    entry.setAttribute("value", e.getValue());
                    tEXt.appendChild(entry);
                } else {
                    IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
                    entry.setAttribute("keyword", e.getKey());
                    entry.setAttribute("compressionFlag", "FALSE");
                    entry.setAttribute("compressionMethod", "0");
                    entry.setAttribute("languageTag", "");
                    entry.setAttribute("translatedKeyword", "");
                    entry.setAttribute("text", e.getValue());
                    iTXt.appendChild(entry);
                }
            }
            if (tEXt.hasChildNodes()) {
                root.appendChild(tEXt);
            }
            if (iTXt.hasChildNodes()) {
                root.appendChild(iTXt);
            }
            metadata.mergeTree(PNG_FORMAT, root);
            writer.setOutput(out);
            writer.write(new IIOImage(image, null, metadata));
        } finally {
            writer.dispose();
        }
    }

    /** The PNG text chunks of a file, keyword to text. */
    public static Map<String, String> readPngText(Path file) throws IOException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
            reader.setInput(in);
            org.w3c.dom.Node root = reader.getImageMetadata(0).getAsTree(PNG_FORMAT);
            for (org.w3c.dom.Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
                for (org.w3c.dom.Node e = chunk.getFirstChild(); e != null; e = e.getNextSibling()) {
                    IIOMetadataNode node = (IIOMetadataNode) e;
                    if (e.getNodeName().equals("tEXtEntry")) {
                        out.put(node.getAttribute("keyword"), node.getAttribute("value"));
                    } else if (e.getNodeName().equals("iTXtEntry")) {
                        out.put(node.getAttribute("keyword"), node.getAttribute("text"));
                    }
                }
            }
            reader.dispose();
        }
        return out;
    }

    private static int toByte(float value) {
        double unit = Math.min(1.0, Math.max(0.0, value / 2.0 + 0.5));
        return (int) Math.round(unit * 255.0);
    }

    /**
     * Writes a PNG through a temporary file in the same folder, moved into place only when
     * complete, so a failure never leaves a partial image that looks finished.
     *
     * @param text PNG text chunks, e.g. AUTOMATIC1111's {@code parameters}; Latin-1 values go in
     *     tEXt chunks, others in iTXt (UTF-8), as PIL does
     */
    public static void writePng(BufferedImage image, Path target, boolean overwrite, Map<String, String> text)
            throws IOException {
        AtomicFiles.write(target, overwrite, file -> writeWithText(image, file, text));
    }

    /** {@code images} (all one size) in rows of {@code columns}, each enlarged {@code zoom} times (nearest neighbour). */
    public static BufferedImage grid(List<BufferedImage> images, int columns, int zoom) {
        int cols = Math.min(columns, images.size());
        int rows = (images.size() + cols - 1) / cols;
        int w = images.get(0).getWidth() * zoom;
        int h = images.get(0).getHeight() * zoom;
        BufferedImage sheet = new BufferedImage(cols * (w + GRID_GUTTER) + GRID_GUTTER, rows * (h + GRID_GUTTER) + GRID_GUTTER,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), GRID_GUTTER + (i % cols) * (w + GRID_GUTTER), GRID_GUTTER + (i / cols) * (h + GRID_GUTTER), w, h, null);
        }
        g.dispose();
        return sheet;
    }
}
