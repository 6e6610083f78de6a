package io.novacron.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files byte by byte for tests, independently of the production header writer,
 * so that the reader is checked against the format and not against our own writer's habits.
 */
final class SafetensorsFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A tensor with its raw little-endian bytes. */
  record Tensor(String name, String dtype, List<Long> shape, byte[] data) {}

  private SafetensorsFiles() {}

  /** A valid file: tensors laid out in list order, no padding. */
  static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    long offset = 0;
    for (Tensor t : tensors) {
      ObjectNode node = header.putObject(t.name());
      node.put("dtype", t.dtype());
      t.shape().forEach(node.putArray("shape")::add);
      node.putArray("data_offsets").add(offset).add(offset + t.data().length);
      offset += t.data().length;
      data.write(t.data());
    }
    writeRaw(file, JSON.writeValueAsString(header), data.toByteArray());
  }

  /** Any header text, its true length in the length field, then {@code data}. */
  static void writeRaw(Path file, String headerJson, byte[] data) throws IOException {
    byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
    writeRaw(file, header.length, header, data);
  }

  /** A length field that may lie about the header. */
  static void writeRaw(Path file, long lengthField, byte[] header, byte[] data) throws IOException {
    ByteBuffer out = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(lengthField).put(header).put(data);
    Files.write(file, out.array());
  }

  /** The bytes of tensor {@code name} in {@code file}, read with no help from production code. */
  static byte[] tensorBytes(Path file, String name) throws IOException {
    byte[] all = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    var header = JSON.readTree(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8));
    var offsets = header.get(name).get("data_offsets");
    int start = (int) (8 + headerLength + offsets.get(0).asLong());
    int end = (int) (8 + headerLength + offsets.get(1).asLong());
    byte[] bytes = new byte[end - start];
    System.arraycopy(all, start, bytes, 0, bytes.length);
    return bytes;
  }
}
