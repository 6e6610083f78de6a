package io.novacron.workflows.model;

import java.util.ArrayList;
import java.util.List;

/** Splits decoder layers over pipeline stages. */
public final class LayerSplit {
  private LayerSplit() {}

  /**
   * {@code layers} over {@code stages} stages, sizes differing by at most one. Leftover layers go to
   * the middle stages first, then the first, then the last: the first stage also holds the
   * embeddings and the last {@code lm_head}, the final norm and the logits, so they get the extra
   * layer last.
   */
  public static List<LayerRange> split(int layers, int stages) {
    if (stages < 1 || stages > layers) {
      throw new IllegalArgumentException("cannot split " + layers + " layers over " + stages + " stages");
    }
    int[] sizes = new int[stages];
    java.util.Arrays.fill(sizes, layers / stages);
    int extra = layers % stages;
    List<Integer> order = new ArrayList<>();
    for (int s = 1; s < stages - 1; s++) {
      order.add(s);
    }
    order.add(0);
    if (stages > 1) {
      order.add(stages - 1);
    }
    for (int i = 0; i < extra; i++) {
      sizes[order.get(i)]++;
    }
    List<LayerRange> ranges = new ArrayList<>(stages);
    int start = 0;
    for (int size : sizes) {
      ranges.add(new LayerRange(start, start + size));
      start += size;
    }
    return List.copyOf(ranges);
  }
}
