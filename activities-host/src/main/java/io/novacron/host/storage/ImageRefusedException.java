package io.novacron.host.storage;

/**
 * An image the library will not take: its bytes do not hash to the registered SHA-256, it is
 * larger than allowed, its source is missing, or its URL is not allowed. Nothing landed; retrying
 * the same source will not help.
 */
public final class ImageRefusedException extends Exception {
  public ImageRefusedException(String message) {
    super(message);
  }
}
