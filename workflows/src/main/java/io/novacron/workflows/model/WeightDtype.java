package io.novacron.workflows.model;

import java.util.Locale;

/**
 * How the transformer's linear-layer weights are stored. Bytes per weight are an exact fraction so
 * that a 405 B-parameter count never meets floating-point rounding.
 *
 * <p>Quantization recipes (FP8 as Meta ships Llama 3.1 405B, AWQ/GPTQ INT4) leave embeddings,
 * {@code lm_head} and norms in BF16; {@link MemoryModel} applies this type to the linear layers
 * only.
 */
public enum WeightDtype {
  BF16("bf16", 2, 1),
  FP8("fp8", 1, 1),
  /** 4-bit weights plus one BF16 scale per group of 128: 4 + 16/128 = 4.125 bits = 33/64 bytes. */
  INT4("int4", 33, 64);

  private final String label;
  private final long bytesNumerator;
  private final long bytesDenominator;

  WeightDtype(String label, long bytesNumerator, long bytesDenominator) {
    this.label = label;
    this.bytesNumerator = bytesNumerator;
    this.bytesDenominator = bytesDenominator;
  }

  /** The lower-case name used on the command line and in JSON. */
  public String label() {
    return label;
  }

  /** Bytes that {@code weights} linear-layer weights take, rounded up. */
  public long bytesFor(long weights) {
    long numerator = Math.multiplyExact(weights, bytesNumerator);
    return (numerator + bytesDenominator - 1) / bytesDenominator;
  }

  /** Parses {@code bf16}, {@code fp8} or {@code int4} (any case). */
  public static WeightDtype parse(String text) {
    for (WeightDtype dtype : values()) {
      if (dtype.label.equals(text.toLowerCase(Locale.ROOT))) {
        return dtype;
      }
    }
    throw new IllegalArgumentException("unknown dtype '" + text + "' (expected bf16, fp8 or int4)");
  }
}
