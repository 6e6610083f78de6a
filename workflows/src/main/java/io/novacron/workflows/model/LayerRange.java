package io.novacron.workflows.model;

/**
 * Decoder layers {@code [start, end)} held by one pipeline stage.
 *
 * @param start first layer
 * @param end one past the last layer
 */
public record LayerRange(int start, int end) {
  public LayerRange {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("bad layer range [" + start + ", " + end + ")");
    }
  }

  public int count() {
    return end - start;
  }

  public boolean contains(int layer) {
    return layer >= start && layer < end;
  }

  /** {@code 0-62}, inclusive as people read it. */
  @Override
  public String toString() {
    return start + "-" + (end - 1);
  }
}
