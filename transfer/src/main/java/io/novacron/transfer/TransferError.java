package io.novacron.transfer;

import io.novacron.workflows.transfer.TransferFailures;

/**
 * Why a transfer step failed: the code that travels in an error frame, whether retrying can help,
 * and the Temporal failure type the activity raises for it.
 */
public enum TransferError {
  BAD_TOKEN(1, false, TransferFailures.AUTH_FAILED),
  UNKNOWN_TRANSFER(2, false, TransferFailures.UNKNOWN_TRANSFER),
  /** A chunk failed its checksum or did not decompress: the stream is dropped and resumed. */
  CORRUPT(3, true, null),
  /** The peer broke the framing (cut mid-frame, unknown frame, wrong sizes). */
  PROTOCOL(4, true, null),
  VERIFY_FAILED(5, false, TransferFailures.VERIFY_FAILED),
  /** A newer attempt of the same transfer took over. */
  SUPERSEDED(6, true, null),
  INTERNAL(7, true, null),
  EXPIRED(8, false, TransferFailures.AUTH_FAILED),
  /** Commit asked for before every block was acknowledged. */
  INCOMPLETE(9, true, null),
  PATH_REJECTED(10, false, TransferFailures.PATH_REJECTED),
  SOURCE_NOT_FOUND(11, false, TransferFailures.SOURCE_NOT_FOUND),
  /** The connection failed or timed out. */
  IO(12, true, null),
  INVALID(13, false, TransferFailures.INVALID_SPEC),
  /**
   * The TLS handshake failed or one side speaks TLS and the other not: a configuration fault
   * (certificates, CA, settings) that retrying does not mend. Never sent in a frame.
   */
  TLS(14, false, TransferFailures.AUTH_FAILED);

  private final int code;
  private final boolean retryable;
  private final String failureType;

  TransferError(int code, boolean retryable, String failureType) {
    this.code = code;
    this.retryable = retryable;
    this.failureType = failureType;
  }

  public int code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The non-retryable ApplicationFailure type, or null for retryable errors. */
  public String failureType() {
    return failureType;
  }

  public static TransferError ofCode(int code) {
    for (TransferError e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return PROTOCOL;
  }
}
