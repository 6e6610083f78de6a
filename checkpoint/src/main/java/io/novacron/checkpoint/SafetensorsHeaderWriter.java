package io.novacron.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Builds a safetensors header for tensors laid out one after another in the order given. */
final class SafetensorsHeaderWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A tensor to place: name, dtype, shape and its data length. */
  record Entry(String name, SafetensorsDtype dtype, List<Long> shape, long byteLength) {}

  private SafetensorsHeaderWriter() {}

  /**
   * The header JSON, padded with spaces to a multiple of 8 bytes so that the data section starts
   * aligned, as the reference writer does. Offsets run from 0 in the order of {@code entries}.
   */
  static byte[] header(List<Entry> entries, Map<String, String> metadata) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode meta = root.putObject(SafetensorsHeaderReader.METADATA);
    metadata.forEach(meta::put);
    long offset = 0;
    for (Entry e : entries) {
      ObjectNode node = root.putObject(e.name());
      node.put("dtype", e.dtype().name());
      ArrayNode shape = node.putArray("shape");
      e.shape().forEach(shape::add);
      node.putArray("data_offsets").add(offset).add(offset + e.byteLength());
      offset += e.byteLength();
    }
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a header", e);
    }
    int padded = (json.length + 7) / 8 * 8;
    byte[] header = Arrays.copyOf(json, padded);
    Arrays.fill(header, json.length, padded, (byte) ' ');
    return header;
  }
}
