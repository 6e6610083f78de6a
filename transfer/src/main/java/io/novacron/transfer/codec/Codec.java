package io.novacron.transfer.codec;

/** Codecs a chunk can travel in; the id is the byte on the wire. */
public enum Codec {
  NONE(0, "none"),
  LZ4(1, "lz4"),
  ZSTD(2, "zstd");

  private final int id;
  private final String label;

  Codec(int id, String label) {
    this.id = id;
    this.label = label;
  }

  public int id() {
    return id;
  }

  public String label() {
    return label;
  }

  /** The codec of a wire id, or null for an id this version does not know. */
  public static Codec ofId(int id) {
    for (Codec c : values()) {
      if (c.id == id) {
        return c;
      }
    }
    return null;
  }
}
