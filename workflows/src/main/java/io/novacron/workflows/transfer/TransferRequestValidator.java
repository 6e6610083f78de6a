package io.novacron.workflows.transfer;

import io.novacron.workflows.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a {@link TransferRequest}. Pure: workflows call it before scheduling anything, and the
 * agents call it again because activities also run from the Temporal CLI. Where a path may land
 * (inside the agent's data directory, no symlink escapes) only the agent can decide; this checks
 * the shape.
 */
public final class TransferRequestValidator {
  public static final int MAX_ZSTD_LEVEL = 19;
  /** Also a file-name part on both nodes: never a path. */
  private static final Pattern TRANSFER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern NODE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");
  private static final Pattern ZSTD = Pattern.compile("zstd:(-?\\d{1,3})");

  private TransferRequestValidator() {}

  /** All problems with the request, empty when it is valid. */
  public static List<FieldError> validate(TransferRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request == null) {
      errors.add(new FieldError("request", "is required"));
      return errors;
    }
    if (request.transferId() == null || !TRANSFER_ID.matcher(request.transferId()).matches()) {
      errors.add(new FieldError("transferId",
          "must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit"));
    }
    if (request.targetNode() == null || !NODE.matcher(request.targetNode()).matches()) {
      errors.add(new FieldError("targetNode", "must be a node name (lower-case letters, digits, '.', '-')"));
    }
    checkPath(errors, "sourcePath", request.sourcePath());
    checkPath(errors, "targetPath", request.targetPath());
    errors.addAll(validate(request.options()));
    return errors;
  }

  /** Problems with the options alone. */
  public static List<FieldError> validate(TransferOptions options) {
    List<FieldError> errors = new ArrayList<>();
    if (!isCodecPolicy(options.codec())) {
      errors.add(new FieldError("options.codec", "'" + options.codec()
          + "' is not a codec policy: use auto, lz4, none or zstd:<1-" + MAX_ZSTD_LEVEL + ">"));
    }
    int block = options.blockSize();
    if (block != TransferOptions.AUTO_BLOCK_SIZE && (block < TransferOptions.MIN_BLOCK_SIZE
        || block > TransferOptions.MAX_BLOCK_SIZE || block % TransferOptions.MIN_BLOCK_SIZE != 0)) {
      errors.add(new FieldError("options.blockSize",
          "must be 0 (the engine's choice) or a multiple of 4096 from 4 KiB to 8 MiB, was " + block));
    }
    if (options.streams() < 1 || options.streams() > TransferOptions.MAX_STREAMS) {
      errors.add(new FieldError("options.streams",
          "must be between 1 and " + TransferOptions.MAX_STREAMS + ", was " + options.streams()));
    }
    if (options.bandwidthCapBytesPerSec() < 0) {
      errors.add(new FieldError("options.bandwidthCapBytesPerSec", "must be 0 (no cap) or positive"));
    }
    return errors;
  }

  /** True for {@code auto}, {@code lz4}, {@code none} and {@code zstd:1} to {@code zstd:19}. */
  public static boolean isCodecPolicy(String codec) {
    if (TransferOptions.AUTO.equals(codec) || TransferOptions.LZ4.equals(codec)
        || TransferOptions.NONE.equals(codec)) {
      return true;
    }
    Matcher m = ZSTD.matcher(codec == null ? "" : codec);
    if (!m.matches()) {
      return false;
    }
    int level = Integer.parseInt(m.group(1));
    return level >= 1 && level <= MAX_ZSTD_LEVEL;
  }

  private static void checkPath(List<FieldError> errors, String field, String path) {
    if (path == null || path.isBlank()) {
      errors.add(new FieldError(field, "is required"));
      return;
    }
    if (path.indexOf('\0') >= 0) {
      errors.add(new FieldError(field, "must not contain NUL"));
      return;
    }
    for (String part : path.split("[/\\\\]")) {
      if (part.equals("..")) {
        errors.add(new FieldError(field, "must not contain '..'"));
        return;
      }
    }
  }
}
