package io.novacron.workflows.transfer;

/**
 * Types of the non-retryable failures of {@link TransferActivities}; a workflow matches on them
 * (ApplicationFailure.getType()). Everything else a transfer throws (a cut connection, a corrupted
 * chunk, a restarted receiver) is retryable and resumes where the receiver's journal ends.
 */
public final class TransferFailures {
  /** The request is malformed; the message names the field. */
  public static final String INVALID_SPEC = "InvalidSpec";
  /** A path leaves the agent's data directory ({@code ..}, a symlink out, another root). */
  public static final String PATH_REJECTED = "TransferPathRejected";
  /** The receiver refused the token: wrong, expired, already used, or for another transfer. */
  public static final String AUTH_FAILED = "TransferAuthFailed";
  /** The receiver has no open transfer of that id (never opened, already closed, or expired). */
  public static final String UNKNOWN_TRANSFER = "TransferUnknown";
  /** The source file is missing or not a regular file. */
  public static final String SOURCE_NOT_FOUND = "TransferSourceNotFound";
  /** The received bytes do not hash to what the sender read: they are discarded, never moved. */
  public static final String VERIFY_FAILED = "TransferVerifyFailed";

  private TransferFailures() {}
}
