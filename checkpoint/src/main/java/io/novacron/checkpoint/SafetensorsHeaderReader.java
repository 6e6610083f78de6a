package io.novacron.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates a safetensors header without touching tensor data.
 *
 * <p>Format: an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON mapping each
 * tensor name to {@code {dtype, shape, data_offsets: [begin, end]}} (offsets relative to the data
 * section that follows the header) plus an optional {@code __metadata__} string map. The checks are
 * those of the reference loader, so that nothing passes here that a serving engine would refuse:
 * known dtype, data size equal to shape times width, offsets inside the file, and tensors that tile
 * the data section with no overlap, gap or trailing bytes.
 */
public final class SafetensorsHeaderReader {
  /**
   * The reference implementation's cap (safetensors' {@code MAX_HEADER_SIZE}, 100,000,000 bytes:
   * decimal, not MiB); a larger "header" is a corrupt length field.
   */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  static final String METADATA = "__metadata__";

  // Trailing tokens fail as in the reference (serde_json): only JSON whitespace may follow the
  // object, so NUL padding or a second value is refused, space padding is not.
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private SafetensorsHeaderReader() {}

  /** The header of {@code file}. */
  public static SafetensorsHeader read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 8) {
        throw new CheckpointException(file, "too short for a safetensors header (" + size + " bytes)");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      // Checked before allocating: a length field of 2^63 (negative as a long) must not allocate.
      if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
        throw new CheckpointException(file, "malformed header: length field says "
            + Long.toUnsignedString(headerLength) + " bytes, over the " + MAX_HEADER_BYTES
            + "-byte cap of the safetensors format");
      }
      if (headerLength < 2 || headerLength > size - 8) {
        throw new CheckpointException(file, "malformed header: length field says "
            + Long.toUnsignedString(headerLength) + " bytes, file has " + (size - 8) + " after it");
      }
      ByteBuffer json = ByteBuffer.allocate((int) headerLength);
      readFully(channel, json, 8);
      return parse(file, size, 8 + headerLength, utf8(file, json.array()));
    }
  }

  /** Strict UTF-8: the reference refuses a header with invalid UTF-8 rather than replacing it. */
  static String utf8(Path file, byte[] bytes) throws CheckpointException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new CheckpointException(file, "malformed header: invalid UTF-8 (" + e + ")");
    }
  }

  static SafetensorsHeader parse(Path file, long fileSize, long dataStart, String json)
      throws CheckpointException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CheckpointException(file, "malformed header: not JSON ("
          + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new CheckpointException(file, "malformed header: not JSON (" + e.getMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(file, "malformed header: not a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<TensorEntry> tensors = new ArrayList<>();
    long dataLength = fileSize - dataStart;
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equals(METADATA)) {
        readMetadata(file, field.getValue(), metadata);
      } else {
        tensors.add(tensor(file, field.getKey(), field.getValue(), dataStart, dataLength));
      }
    }
    tensors.sort(Comparator.comparingLong(TensorEntry::dataStart).thenComparingLong(TensorEntry::byteLength));
    checkTiling(file, tensors, dataStart, dataLength);
    return new SafetensorsHeader(file, fileSize, dataStart, metadata, tensors);
  }

  private static void readMetadata(Path file, JsonNode node, Map<String, String> into)
      throws CheckpointException {
    if (!node.isObject()) {
      throw new CheckpointException(file, "malformed header: __metadata__ is not an object");
    }
    Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> e = entries.next();
      if (!e.getValue().isTextual()) {
        throw new CheckpointException(file, "malformed header: __metadata__ value of '" + e.getKey()
            + "' is not a string");
      }
      into.put(e.getKey(), e.getValue().asText());
    }
  }

  private static TensorEntry tensor(Path file, String name, JsonNode node, long dataStart,
      long dataLength) throws CheckpointException {
    if (!node.isObject()) {
      throw new CheckpointException(file, name, "malformed header: entry is not an object");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new CheckpointException(file, name, "malformed header: no dtype");
    }
    SafetensorsDtype dtype = SafetensorsDtype.byName(dtypeNode.asText()).orElseThrow(() ->
        new CheckpointException(file, name, "unknown dtype '" + dtypeNode.asText() + "'"));
    List<Long> shape = new ArrayList<>();
    JsonNode shapeNode = node.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw new CheckpointException(file, name, "malformed header: no shape array");
    }
    for (JsonNode dim : shapeNode) {
      if (!dim.canConvertToLong() || !dim.isIntegralNumber() || dim.asLong() < 0) {
        throw new CheckpointException(file, name, "malformed header: shape " + shapeNode
            + " has a dimension that is not a non-negative integer");
      }
      shape.add(dim.asLong());
    }
    JsonNode offsets = node.get("data_offsets");
    if (offsets == null || !offsets.isArray() || offsets.size() != 2
        || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
        || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
      throw new CheckpointException(file, name, "malformed header: data_offsets must be [begin, end]");
    }
    long begin = offsets.get(0).asLong();
    long end = offsets.get(1).asLong();
    if (begin < 0 || end < begin) {
      throw new CheckpointException(file, name, "data_offsets " + offsets + " are not an ascending range");
    }
    if (end > dataLength) {
      throw new CheckpointException(file, name, "data_offsets " + offsets
          + " run past the end of the file (data section is " + dataLength + " bytes)");
    }
    long expected;
    try {
      expected = Math.multiplyExact(TensorEntry.elementCount(shape), dtype.bytes());
    } catch (ArithmeticException e) {
      throw new CheckpointException(file, name, "shape " + shape + " overflows");
    }
    if (end - begin != expected) {
      throw new CheckpointException(file, name, "data_offsets " + offsets + " hold " + (end - begin)
          + " bytes but shape " + shape + " of " + dtype + " needs " + expected);
    }
    return new TensorEntry(name, file, dtype, shape, dataStart + begin, end - begin);
  }

  /** Tensors sorted by offset must abut exactly, from 0 to the end of the file. */
  private static void checkTiling(Path file, List<TensorEntry> tensors, long dataStart,
      long dataLength) throws CheckpointException {
    long expectedStart = dataStart;
    TensorEntry previous = null;
    for (TensorEntry t : tensors) {
      if (t.dataStart() < expectedStart) {
        throw new CheckpointException(file, t.name(), "data_offsets overlap tensor '"
            + previous.name() + "' (" + range(previous, dataStart) + " and " + range(t, dataStart) + ")");
      }
      if (t.dataStart() > expectedStart) {
        throw new CheckpointException(file, t.name(), "data_offsets leave a gap of "
            + (t.dataStart() - expectedStart) + " bytes before it (" + range(t, dataStart) + ")");
      }
      expectedStart = t.dataStart() + t.byteLength();
      previous = t;
    }
    if (expectedStart != dataStart + dataLength) {
      throw new CheckpointException(file, (dataStart + dataLength - expectedStart)
          + " bytes after the last tensor belong to no tensor");
    }
  }

  private static String range(TensorEntry t, long dataStart) {
    long begin = t.dataStart() - dataStart;
    return "[" + begin + ", " + (begin + t.byteLength()) + ")";
  }

  static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new IOException("unexpected end of file at " + at);
      }
      at += n;
    }
  }
}
