package io.novacron.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The validated header of one safetensors file.
 *
 * @param file the file
 * @param fileSize its size in bytes
 * @param dataStart offset of the data section ({@code 8 + header length})
 * @param metadata the {@code __metadata__} map, empty where absent
 * @param tensors the tensors, in data order
 */
public record SafetensorsHeader(Path file, long fileSize, long dataStart, Map<String, String> metadata,
    List<TensorEntry> tensors) {
  public SafetensorsHeader {
    metadata = Map.copyOf(metadata);
    tensors = List.copyOf(tensors);
  }
}
