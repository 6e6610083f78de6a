package io.novacron.workflows.migrate;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Memory compression of a live migration (what libvirt 9 accepts; it refuses zstd and zlib). */
public enum Compression {
  @JsonProperty("none")
  NONE,
  /** Multi-threaded compression of each page: fewer bytes on the wire for more CPU. */
  @JsonProperty("mt")
  MT,
  /** XOR-based delta of re-dirtied pages: helps guests that rewrite the same memory. */
  @JsonProperty("xbzrle")
  XBZRLE
}
