package io.novacron.cli.model;

/** A command line that cannot be run; the message names the flag at fault. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
