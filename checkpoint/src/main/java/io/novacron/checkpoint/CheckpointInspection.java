package io.novacron.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint as read from its config and headers, without its tensor data.
 *
 * @param directory the checkpoint directory
 * @param config what {@code config.json} says
 * @param files the safetensors headers, in file-name order
 * @param tensors every tensor, file by file in data order (the order a sequential reader meets them)
 * @param layers totals per decoder layer, by layer number
 * @param outsideLayers totals of the tensors outside the decoder layers
 * @param bytesByDtype data bytes per element type
 * @param totalParameters elements across all tensors
 * @param totalBytes data bytes across all tensors
 */
public record CheckpointInspection(
    Path directory,
    ModelConfig config,
    List<SafetensorsHeader> files,
    List<TensorEntry> tensors,
    List<TensorGroupStats> layers,
    TensorGroupStats outsideLayers,
    Map<SafetensorsDtype, Long> bytesByDtype,
    long totalParameters,
    long totalBytes) {

  public CheckpointInspection {
    files = List.copyOf(files);
    tensors = List.copyOf(tensors);
    layers = List.copyOf(layers);
    bytesByDtype = Map.copyOf(bytesByDtype);
  }
}
