package io.novacron.workflows.cloudinit;

import java.nio.charset.StandardCharsets;

/** Small text helpers for messages about untrusted values. */
final class Text {
  private Text() {}

  /**
   * A value fit to quote in an error message: at most {@code max} characters, control characters
   * shown as '?', so a hostile value cannot forge extra lines in a log or a response.
   */
  static String abbreviate(String value, int max) {
    String shown = value.length() <= max ? value : value.substring(0, max) + "...";
    StringBuilder out = new StringBuilder(shown.length());
    shown.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }

  /** Size in UTF-8 bytes, the unit the limits are stated in; 0 for null. */
  static long utf8Bytes(String value) {
    return value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length;
  }
}
