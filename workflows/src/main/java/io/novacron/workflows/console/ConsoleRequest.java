package io.novacron.workflows.console;

/**
 * A slice of one VM's serial console log on its node.
 *
 * @param vmName the VM (a {@link io.novacron.workflows.Names#NAME}: never a path)
 * @param offset the byte offset to read from; a negative value {@code -n} asks for the last
 *     {@code n} bytes (a tail)
 * @param maxBytes at most this many bytes; 0 (or less) for {@link #MAX_BYTES}, and never more than it
 */
public record ConsoleRequest(String vmName, long offset, int maxBytes) {
  /** The most one read returns: a follower asks again for the rest, so no read holds a big log. */
  public static final int MAX_BYTES = 64 * 1024;

  /** {@code maxBytes} as the reader applies it: within 1 .. {@link #MAX_BYTES}. */
  public int boundedMaxBytes() {
    return maxBytes <= 0 ? MAX_BYTES : Math.min(maxBytes, MAX_BYTES);
  }
}
