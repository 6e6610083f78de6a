package io.novacron.transfer;

import java.io.IOException;

/** A transfer step failed for a known {@link TransferError reason}. */
public class TransferException extends IOException {
  private final TransferError error;

  public TransferException(TransferError error, String message) {
    super(message);
    this.error = error;
  }

  public TransferException(TransferError error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  public TransferError error() {
    return error;
  }

  public boolean retryable() {
    return error.retryable();
  }
}
