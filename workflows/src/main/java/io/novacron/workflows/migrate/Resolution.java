package io.novacron.workflows.migrate;

/**
 * What an operator tells a migration that waits in {@link io.novacron.workflows.run.RunState#ATTENTION}.
 * Only {@link #KEEP_SOURCE} and {@link #KEEP_TARGET} may remove anything, and only the copy on the
 * other node, after the kept copy is checked to run.
 */
public enum Resolution {
  /** Check both nodes again now instead of at the next interval. */
  RETRY,
  /** End the run as FAILED without touching either node; what is left is named in the record. */
  ABANDON,
  /** The copy on the source node is the one to keep: the target's copy and files are removed. */
  KEEP_SOURCE,
  /** The copy on the target node is the one to keep: the move is finished and the source cleaned. */
  KEEP_TARGET
}
