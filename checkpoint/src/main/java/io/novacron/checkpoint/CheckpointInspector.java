package io.novacron.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.model.MoeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Inspects a Hugging Face-style checkpoint directory: {@code config.json}, and the headers of its
 * safetensors files, listed by {@code model.safetensors.index.json} where there is one and found by
 * name otherwise. Reads headers only, so a 400 GiB checkpoint inspects in milliseconds.
 *
 * <p>Beyond each file's own checks ({@link SafetensorsHeaderReader}) the directory must be
 * consistent: every tensor in exactly one file, the index naming each tensor's true file, and the
 * decoder layers numbered below {@code num_hidden_layers}, every tensor the config implies present
 * with the shape it implies ({@link ExpectedTensors}), and every file inside the checkpoint
 * ({@link SymlinkPolicy}).
 */
public final class CheckpointInspector {
  public static final String CONFIG = "config.json";
  public static final String INDEX = "model.safetensors.index.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private CheckpointInspector() {}

  public static CheckpointInspection inspect(Path checkpoint) throws IOException {
    Path directory = checkpoint.toAbsolutePath().normalize();
    if (!Files.isDirectory(directory)) {
      throw new CheckpointException(directory, "not a directory");
    }
    Path configFile = directory.resolve(CONFIG);
    if (!Files.isRegularFile(configFile)) {
      throw new CheckpointException(directory, "no " + CONFIG);
    }
    SymlinkPolicy.resolve(directory, configFile);
    ModelConfig config = ModelConfigReader.read(configFile, directory.getFileName().toString());
    boolean moe = MoeConfigReader.isMoe(configFile);
    int layerLimit = config.layers() + (moe ? MoeConfigReader.extraPredictionLayers(configFile) : 0);

    Path indexFile = directory.resolve(INDEX);
    if (Files.isRegularFile(indexFile)) {
      SymlinkPolicy.resolve(directory, indexFile);
    }
    Map<String, String> weightMap = Files.isRegularFile(indexFile) ? weightMap(indexFile) : null;
    List<Path> files = weightMap != null ? filesOf(directory, indexFile, weightMap) : findFiles(directory);

    List<SafetensorsHeader> headers = new ArrayList<>();
    List<TensorEntry> tensors = new ArrayList<>();
    Map<String, Path> seen = new HashMap<>();
    for (Path file : files) {
      SymlinkPolicy.resolve(directory, file);
      SafetensorsHeader header = SafetensorsHeaderReader.read(file);
      headers.add(header);
      for (TensorEntry t : header.tensors()) {
        Path other = seen.putIfAbsent(t.name(), file);
        if (other != null) {
          throw new CheckpointException(file, t.name(), "also present in " + other.getFileName());
        }
        if (weightMap != null) {
          String indexed = weightMap.get(t.name());
          if (indexed == null) {
            throw new CheckpointException(file, t.name(), "not listed in " + INDEX);
          }
          if (!indexed.equals(file.getFileName().toString())) {
            throw new CheckpointException(file, t.name(), INDEX + " places it in " + indexed);
          }
        }
        OptionalInt layer = t.layer();
        if (layer.isPresent() && layer.getAsInt() >= layerLimit) {
          int n = layer.getAsInt();
          throw new CheckpointException(file, t.name(), "layer "
              + (n == Integer.MAX_VALUE ? "number over 2^31" : String.valueOf(n))
              + " is beyond num_hidden_layers " + config.layers()
              + (layerLimit > config.layers() ? " plus " + (layerLimit - config.layers())
                  + " prediction layer(s)" : ""));
        }
        tensors.add(t);
      }
    }
    if (weightMap != null) {
      for (Map.Entry<String, String> e : weightMap.entrySet()) {
        if (!seen.containsKey(e.getKey())) {
          throw new CheckpointException(directory.resolve(e.getValue()), e.getKey(),
              "listed in " + INDEX + " but absent from the file");
        }
      }
    }
    checkExpected(directory, config, tensors, moe, moe ? moeSpec(configFile, config.name()) : null);
    return summarize(directory, config, headers, tensors);
  }

  /**
   * Every tensor the config implies is present with the shape it implies; the first missing or
   * mismatched one (in model order: embeddings, layer 0, layer 1, ...) is named.
   */
  static void checkExpected(Path directory, ModelConfig config, List<TensorEntry> tensors,
      boolean moe) throws CheckpointException {
    checkExpected(directory, config, tensors, moe, null);
  }

  /** As above; {@code spec}: a MoE model's fields, so that every expert's MLP is checked too. */
  static void checkExpected(Path directory, ModelConfig config, List<TensorEntry> tensors,
      boolean moe, MoeSpec spec) throws CheckpointException {
    Map<String, TensorEntry> byName = new HashMap<>();
    for (TensorEntry t : tensors) {
      byName.put(t.name(), t);
    }
    for (ExpectedTensors.Expected e : ExpectedTensors.of(config, moe, spec)) {
      TensorEntry t = byName.get(e.name());
      if (t == null) {
        if (e.required()) {
          throw new CheckpointException(directory, e.name(), "missing: config.json ("
              + config.layers() + " layers) implies it, no safetensors file holds it");
        }
        continue;
      }
      if (!e.shape().equals(t.shape())) {
        throw new CheckpointException(t.file(), t.name(), "shape " + t.shape()
            + " contradicts config.json, which implies " + e.shape()
            + " (hidden_size " + config.hiddenSize() + ", heads " + config.heads() + ", kv heads "
            + config.kvHeads() + ", head_dim " + config.headDim() + ", intermediate_size "
            + config.intermediateSize() + ", vocab_size " + config.vocabSize()
            + (spec == null ? "" : ", experts " + spec.routedExperts() + ", moe_intermediate_size "
                + spec.expertIntermediateSize() + ", n_shared_experts " + spec.sharedExperts())
            + ")");
      }
    }
  }

  /**
   * A MoE config's expert fields, or null where the MoE reader does not model the config (DeepSeek
   * without query compression, Qwen3 with dense layers between): those checkpoints are inspected as
   * before, norms and embeddings only, rather than refused for a field the planner alone needs.
   */
  private static MoeSpec moeSpec(Path configFile, String name) throws IOException {
    try {
      return MoeConfigReader.read(configFile, name).moe();
    } catch (CheckpointException e) {
      return null;
    }
  }

  private static CheckpointInspection summarize(Path directory, ModelConfig config,
      List<SafetensorsHeader> headers, List<TensorEntry> tensors) {
    TreeMap<Integer, TensorGroupStats> layers = new TreeMap<>();
    TensorGroupStats outside = new TensorGroupStats(-1, 0, 0, 0);
    Map<SafetensorsDtype, Long> bytesByDtype = new EnumMap<>(SafetensorsDtype.class);
    long parameters = 0;
    long bytes = 0;
    for (TensorEntry t : tensors) {
      OptionalInt layer = t.layer();
      if (layer.isPresent()) {
        int n = layer.getAsInt();
        layers.put(n, layers.getOrDefault(n, new TensorGroupStats(n, 0, 0, 0)).plus(t));
      } else {
        outside = outside.plus(t);
      }
      bytesByDtype.merge(t.dtype(), t.byteLength(), Long::sum);
      parameters += t.elementCount();
      bytes += t.byteLength();
    }
    return new CheckpointInspection(directory, config, headers, tensors,
        new ArrayList<>(layers.values()), outside, bytesByDtype, parameters, bytes);
  }

  /** {@code weight_map} of the index: tensor name to file name. */
  private static Map<String, String> weightMap(Path indexFile) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(indexFile));
    } catch (JsonProcessingException e) {
      throw new CheckpointException(indexFile, "not JSON (" + e.getOriginalMessage() + ")");
    }
    JsonNode map = root == null ? null : root.get("weight_map");
    if (map == null || !map.isObject()) {
      throw new CheckpointException(indexFile, "no weight_map object");
    }
    Map<String, String> weightMap = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> entries = map.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> e = entries.next();
      if (!e.getValue().isTextual()) {
        throw new CheckpointException(indexFile, e.getKey(), "weight_map value is not a file name");
      }
      weightMap.put(e.getKey(), e.getValue().asText());
    }
    return weightMap;
  }

  private static List<Path> filesOf(Path directory, Path indexFile, Map<String, String> weightMap)
      throws CheckpointException {
    List<Path> files = new ArrayList<>();
    for (String name : new TreeSet<>(weightMap.values())) {
      Path file = directory.resolve(name).normalize();
      // The index is data: it must not point the inspector (or the sharder) outside the checkpoint.
      if (!directory.equals(file.getParent()) || !Files.isRegularFile(file)) {
        throw new CheckpointException(indexFile, "weight_map names '" + name
            + "', which is not a file in " + directory);
      }
      files.add(file);
    }
    return files;
  }

  private static List<Path> findFiles(Path directory) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
          .filter(Files::isRegularFile).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new CheckpointException(directory, "no *.safetensors files and no " + INDEX);
    }
    return files;
  }
}
