package io.novacron.transfer;

import io.novacron.workflows.transfer.TransferProgress;

/**
 * Receives a sender's progress about once a second and at phase changes. An exception thrown here
 * aborts the send at once, without retry (an activity heartbeat throws when the activity was
 * cancelled or timed out).
 */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = p -> {};

  void progress(TransferProgress progress);
}
