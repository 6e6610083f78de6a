package io.novacron.workflows.migrate;

/**
 * The last line of a migration's run record: where the VM runs and why, before any detail. An
 * operator reads this first ("web1 runs on lab-a (rolled back): ..."), so it never leads with a
 * Temporal timeout type.
 */
public final class MoveHeadline {
  /** What a cancel that arrived after the switch-over gets as its note. */
  public static final String TOO_LATE = "the cancel came too late: the switch-over had happened";

  private MoveHeadline() {}

  /**
   * @param elapsedMs, downtimeMs the move's time and the guest's pause; -1 where unknown (a move
   *     settled from libvirt's state after its report was lost), and then left out
   * @param wireBytes, rawBytes what the transfer engine moved for a warm or cold move; -1 for none
   * @param precopyWire, precopyRaw the same for live mode's disk pre-copy; -1 for none
   * @param note why the run did not simply succeed (a cancel too late, a failure after the
   *     switch-over); null when it did
   */
  public static String moved(String target, long elapsedMs, long downtimeMs, long wireBytes,
      long rawBytes, long precopyWire, long precopyRaw, String note, String vm) {
    return "exactly one running copy, on " + target
        + (elapsedMs < 0 ? "" : ", after " + elapsedMs + " ms")
        + (downtimeMs < 0 ? "" : ", downtime " + downtimeMs + " ms")
        + (wireBytes < 0 ? "" : ", " + wireBytes + " B on the wire for " + rawBytes + " B")
        + (precopyWire < 0 ? "" : ", disk pre-copied with " + precopyWire + " B on the wire for "
            + precopyRaw + " B")
        + (note == null ? "" : note.equals(TOO_LATE) ? "; " + TOO_LATE
            : "; " + vm + " had switched over before: " + note);
  }

  /**
   * @param cause the failure or {@code cancelled}; null when the transfer reported success and the
   *     guest still did not move
   */
  public static String notMoved(String vm, Settled settled, String cause) {
    String source = settled.last().sourceNode();
    return switch (settled.outcome()) {
      case ROLLED_BACK -> cause == null
          ? vm + " did not switch over: it still runs on " + source + " (" + settled.detail() + ")"
          : vm + " runs on " + source + " (rolled back): " + cause
              + (settled.detail().startsWith("exactly one") ? "" : "; " + settled.detail());
      case LEFT_AS_FOUND, ABANDONED -> settled.detail() + (cause == null ? "" : " (" + cause + ")");
      case MOVED -> throw new IllegalArgumentException("a moved VM has no failure headline");
    };
  }
}
