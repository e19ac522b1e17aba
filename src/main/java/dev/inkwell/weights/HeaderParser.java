package dev.inkwell.weights;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates a safetensors header with the rules of the reference implementation
 * (huggingface/safetensors, {@code Metadata::validate}): a header of at most 100,000,000 bytes, and
 * tensors whose byte ranges, sorted by offset, tile the data region exactly: starting at 0, without
 * overlaps or holes, ending at the end of the file. Sizes read from the file are checked before
 * anything is allocated from them.
 */
final class HeaderParser {

    /** The reference implementation's {@code MAX_HEADER_SIZE}. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = JsonMapper.builder(new JsonFactoryBuilder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength((int) MAX_HEADER_BYTES)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A validated header; {@code entries} are ordered by offset. */
    record Header(Map<String, String> metadata, Map<String, TensorEntry> entries, long dataStart) {
    }

    private final Path file;

    private HeaderParser(Path file) {
        this.file = file;
    }

    static Header read(Path file, FileChannel channel) throws IOException {
        return new HeaderParser(file).read(channel);
    }

    private Header read(FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw fail("file is " + fileSize + " bytes, too short for the 8-byte header length");
        }
        long headerLength = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw fail("header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the safetensors limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength > fileSize - 8) {
            throw fail("header length " + headerLength + " runs past the end of the file ("
                    + fileSize + " bytes; truncated?)");
        }
        String text = decodeUtf8(readFully(channel, 8, (int) headerLength));
        JsonNode root = parseJson(text);
        long dataStart = 8 + headerLength;
        return parse(root, dataStart, fileSize - dataStart);
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return buffer.flip();
    }

    private String decodeUtf8(ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw fail("header is not valid UTF-8");
        }
    }

    private JsonNode parseJson(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw fail("header is not valid JSON: " + e.getOriginalMessage());
        }
        if (!root.isObject()) {
            throw fail("header is not a JSON object");
        }
        return root;
    }

    private Header parse(JsonNode root, long dataStart, long dataLength) {
        Map<String, String> metadata = Map.of();
        List<TensorEntry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(field.getValue());
            } else {
                entries.add(parseEntry(field.getKey(), field.getValue()));
            }
        }
        entries.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        checkTiling(entries, dataLength);
        Map<String, TensorEntry> byName = new LinkedHashMap<>();
        for (TensorEntry entry : entries) {
            byName.put(entry.name(), entry);
        }
        return new Header(metadata, Collections.unmodifiableMap(byName), dataStart);
    }

    private Map<String, String> parseMetadata(JsonNode node) {
        if (node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw fail(METADATA_KEY + " must be a JSON object of strings, got " + node.getNodeType());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw fail(METADATA_KEY + " value of \"" + field.getKey() + "\" must be a string, got "
                        + field.getValue().getNodeType());
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private TensorEntry parseEntry(String name, JsonNode node) {
        if (!node.isObject()) {
            throw fail(name, "entry must be a JSON object, got " + node.getNodeType());
        }
        DType dtype = parseDType(name, node.get("dtype"));
        long[] shape = parseShape(name, node.get("shape"));
        long[] offsets = parseOffsets(name, node.get("data_offsets"));
        long begin = offsets[0];
        long end = offsets[1];
        String range = "data_offsets [" + begin + ", " + end + "]";
        if (begin > end) {
            throw fail(name, range + ": begin is after end");
        }
        long needed;
        try {
            needed = Shapes.byteCount(dtype, shape);
        } catch (ArithmeticException e) {
            throw fail(name, dtype + " " + Shapes.format(shape) + " is too large: its byte count overflows 64 bits");
        }
        if (end - begin != needed) {
            throw fail(name, range + " hold " + (end - begin) + " bytes but " + dtype + " "
                    + Shapes.format(shape) + " needs " + needed);
        }
        return new TensorEntry(name, dtype, shape, begin, end);
    }

    private DType parseDType(String name, JsonNode node) {
        if (node == null) {
            throw fail(name, "missing \"dtype\"");
        }
        if (!node.isTextual()) {
            throw fail(name, "\"dtype\" must be a string, got " + node.getNodeType());
        }
        return DType.fromHeaderName(node.textValue())
                .orElseThrow(() -> fail(name, "unknown dtype \"" + node.textValue() + "\""));
    }

    private long[] parseShape(String name, JsonNode node) {
        if (node == null) {
            throw fail(name, "missing \"shape\"");
        }
        if (!node.isArray()) {
            throw fail(name, "\"shape\" must be an array of non-negative integers, got " + node.getNodeType());
        }
        return nonNegativeLongs(name, "shape", node);
    }

    private long[] parseOffsets(String name, JsonNode node) {
        if (node == null) {
            throw fail(name, "missing \"data_offsets\"");
        }
        if (!node.isArray() || node.size() != 2) {
            throw fail(name, "\"data_offsets\" must be an array [begin, end], got " + node);
        }
        return nonNegativeLongs(name, "data_offsets", node);
    }

    private long[] nonNegativeLongs(String name, String key, JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode element = array.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < 0) {
                throw fail(name, "\"" + key + "\" must hold non-negative 64-bit integers, got " + array);
            }
            values[i] = element.longValue();
        }
        return values;
    }

    /** Checks that the ranges, sorted by offset, cover {@code [0, dataLength)} exactly once. */
    private void checkTiling(List<TensorEntry> sorted, long dataLength) {
        TensorEntry previous = null;
        for (TensorEntry entry : sorted) {
            long expected = previous == null ? 0 : previous.end();
            if (entry.begin() < expected) {
                throw fail(entry.name(), "data [" + entry.begin() + ", " + entry.end() + "] overlaps tensor \""
                        + previous.name() + "\" [" + previous.begin() + ", " + previous.end() + "]");
            }
            if (entry.begin() > expected) {
                throw fail(entry.name(), "data starts at " + entry.begin() + " but the previous tensor ends at "
                        + expected + "; safetensors requires tensors to be contiguous, without holes");
            }
            if (entry.end() > dataLength) {
                throw fail(entry.name(), "data_offsets [" + entry.begin() + ", " + entry.end()
                        + "] end beyond the data region of " + dataLength + " bytes (truncated file?)");
            }
            previous = entry;
        }
        long covered = previous == null ? 0 : previous.end();
        if (covered != dataLength) {
            throw fail("tensors cover " + covered + " bytes but the data region holds " + dataLength
                    + "; safetensors requires them to cover it exactly");
        }
    }

    private WeightsException fail(String message) {
        return new WeightsException(file + ": " + message);
    }

    private WeightsException fail(String tensor, String message) {
        return new WeightsException(file + ": tensor \"" + tensor + "\": " + message);
    }
}
