package io.novacron.transfer.wire;

/** Constants of the wire format (version {@value #VERSION}). */
public final class Wire {
  /** "NVXF" at the start of Hello and Challenge bodies. */
  public static final int MAGIC = 0x4E565846;
  public static final int VERSION = 1;

  public static final byte HELLO = 1;
  public static final byte AUTH = 2;
  public static final byte DATA = 3;
  public static final byte ZERO_RUN = 4;
  public static final byte COPY_RUN = 5;
  public static final byte FLUSH = 6;
  public static final byte COMMIT = 7;
  public static final byte END = 8;
  public static final byte CHALLENGE = 0x41;
  public static final byte ACCEPT = 0x42;
  public static final byte BASE_HASHES = 0x43;
  public static final byte ACK = 0x44;
  public static final byte COMMITTED = 0x45;
  public static final byte ERROR = 0x46;

  /** type, body length: before every body. */
  public static final int ENVELOPE_HEAD = 5;
  /** XXH64 check after every body. */
  public static final int ENVELOPE_TAIL = 8;
  /** block u64, codec u8, raw length u32, wire length u32. */
  public static final int DATA_HEADER = 17;
  /** XXH64 u64 then SHA-256 of one base block. */
  public static final int BASE_ENTRY = 40;
  /** Base hashes per frame: 40 KiB frames. */
  public static final int BASE_ENTRIES_PER_FRAME = 1024;
  public static final int NONCE = 32;
  public static final int MAC = 32;
  /** Largest body of a frame that is not Data (Accept with many ranges). */
  public static final int MAX_CONTROL_BODY = 64 * 1024 * 1024;

  private Wire() {}
}
