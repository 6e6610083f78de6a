package io.novacron.checkpoint;

import java.util.Optional;

/**
 * Element types a safetensors header may name, with their width. Sub-byte types (F4, F6) are left
 * out on purpose: they would need bit-level slicing, and no checkpoint we shard uses them yet.
 */
public enum SafetensorsDtype {
  BOOL(1), U8(1), I8(1), F8_E4M3(1), F8_E5M2(1), F8_E8M0(1),
  I16(2), U16(2), F16(2), BF16(2),
  I32(4), U32(4), F32(4),
  I64(8), U64(8), F64(8);

  private final int bytes;

  SafetensorsDtype(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The type named exactly {@code name} in a header, if it is one we know. */
  public static Optional<SafetensorsDtype> byName(String name) {
    for (SafetensorsDtype dtype : values()) {
      if (dtype.name().equals(name)) {
        return Optional.of(dtype);
      }
    }
    return Optional.empty();
  }
}
