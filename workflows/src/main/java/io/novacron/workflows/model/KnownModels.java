package io.novacron.workflows.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Shapes of well-known checkpoints, so that "does Llama 3.1 405B fit here" needs no download. The
 * numbers are the published {@code config.json} values.
 */
public final class KnownModels {
  private static final Map<String, ModelShape> MODELS = new LinkedHashMap<>();

  static {
    add(ModelShape.llama("llama-3.1-405b", 126, 16384, 128, 8, 53248, 128256, false));
    add(ModelShape.llama("llama-3.1-70b", 80, 8192, 64, 8, 28672, 128256, false));
    add(ModelShape.llama("llama-3.1-8b", 32, 4096, 32, 8, 14336, 128256, false));
  }

  private KnownModels() {}

  private static void add(ModelShape shape) {
    MODELS.put(shape.name(), shape);
  }

  /** The shape named {@code name} (case-insensitive), if known. */
  public static Optional<ModelShape> find(String name) {
    return Optional.ofNullable(MODELS.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The known names, in a stable order. */
  public static List<String> names() {
    return List.copyOf(MODELS.keySet());
  }
}
