package io.novacron.transfer;

import java.io.BufferedInputStream;
import java.io.IOException;

/**
 * Tells a TLS record from an engine frame by its first byte, so that a plaintext peer meeting a
 * TLS one can say so instead of reporting a garbled frame. No engine frame type uses these values.
 */
final class TlsRecords {
  /** TLS content types: alert (21) and handshake (22). */
  static final int ALERT = 0x15;
  static final int HANDSHAKE = 0x16;

  private TlsRecords() {}

  /** True when the next byte starts a TLS alert or handshake record; consumes nothing. */
  static boolean startsWithTls(BufferedInputStream in) throws IOException {
    in.mark(1);
    int first = in.read();
    in.reset();
    return isTlsRecordType(first);
  }

  static boolean isTlsRecordType(int firstByte) {
    return firstByte == ALERT || firstByte == HANDSHAKE;
  }
}
