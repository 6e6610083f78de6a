package io.novacron.cli;

import java.util.UUID;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code Idempotency-Key} a run-starting command sends: the one given with
 * {@code --idempotency-key}, else a random UUID made once per invocation. The control plane
 * answers a repeated key with the run it started the first time, so a command retried with the
 * same key after a network error does not start a second run.
 */
final class LaunchKey {
  static final String HEADER = "Idempotency-Key";

  @Option(names = "--idempotency-key", paramLabel = "KEY", converter = Checked.class,
      description = "the request's Idempotency-Key (default: a random UUID); repeat a command with the key it "
          + "printed after a network error and the control plane answers with the first run instead of a second")
  String given;

  private String generated;

  /** The key of this invocation: the same value however often it is asked for. */
  String value() {
    if (given != null) {
      return given;
    }
    if (generated == null) {
      generated = UUID.randomUUID().toString();
    }
    return generated;
  }

  /** The server's rule (1-200 printable ASCII characters without spaces), checked before anything is sent. */
  static final class Checked implements ITypeConverter<String> {
    private static final Pattern VALID = Pattern.compile("[!-~]{1,200}");

    @Override
    public String convert(String value) {
      if (!VALID.matcher(value).matches()) {
        throw new TypeConversionException("must be 1-200 printable ASCII characters without spaces, was '"
            + value + "'");
      }
      return value;
    }
  }
}
