package io.novacron.workflows.model;

import java.util.Locale;

/** Element type of the KV cache; serving engines default to the activation type, BF16. */
public enum KvCacheDtype {
  BF16("bf16", 2),
  FP8("fp8", 1);

  private final String label;
  private final int bytes;

  KvCacheDtype(String label, int bytes) {
    this.label = label;
    this.bytes = bytes;
  }

  public String label() {
    return label;
  }

  /** Bytes per cached element. */
  public int bytes() {
    return bytes;
  }

  /** Parses {@code bf16} or {@code fp8} (any case). */
  public static KvCacheDtype parse(String text) {
    for (KvCacheDtype dtype : values()) {
      if (dtype.label.equals(text.toLowerCase(Locale.ROOT))) {
        return dtype;
      }
    }
    throw new IllegalArgumentException("unknown KV cache dtype '" + text + "' (expected bf16 or fp8)");
  }
}
