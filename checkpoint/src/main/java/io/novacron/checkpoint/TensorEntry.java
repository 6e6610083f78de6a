package io.novacron.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One tensor as a safetensors header places it.
 *
 * @param name tensor name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param file the file holding it
 * @param dtype element type
 * @param shape dimensions, outermost first (row-major); empty for a scalar
 * @param dataStart absolute offset of the first byte in the file
 * @param byteLength bytes of data
 */
public record TensorEntry(String name, Path file, SafetensorsDtype dtype, List<Long> shape,
    long dataStart, long byteLength) {
  private static final Pattern LAYER = Pattern.compile("(?:^|\\.)layers\\.([0-9]+)\\.");

  public TensorEntry {
    shape = List.copyOf(shape);
  }

  /** Number of elements: the product of the shape (1 for a scalar). */
  public long elementCount() {
    return elementCount(shape);
  }

  /**
   * The decoder layer the name places it in ({@code ...layers.N....}), if any. A number too large
   * for an {@code int} reads as {@link Integer#MAX_VALUE}, beyond any valid layer count, so that a
   * hostile name is refused as out of range rather than throwing {@link NumberFormatException}.
   */
  public OptionalInt layer() {
    Matcher m = LAYER.matcher(name);
    return m.find() ? OptionalInt.of(layerNumber(m.group(1))) : OptionalInt.empty();
  }

  static int layerNumber(String digits) {
    String significant = digits.replaceFirst("^0+(?=.)", "");
    if (significant.length() > 10) {
      return Integer.MAX_VALUE;
    }
    return (int) Math.min(Long.parseLong(significant), Integer.MAX_VALUE);
  }

  /** Product of {@code shape}, failing on overflow rather than wrapping. */
  public static long elementCount(List<Long> shape) {
    long count = 1;
    for (long dim : shape) {
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }
}
