package io.novacron.workflows.migrate;

/**
 * What a mode's move did, for the result and the run record.
 *
 * @param outcome the monitor's outcome (live); for warm and cold, elapsedMs is the guest's pause
 *     (warm: from the save to the resume on the target) or outage (cold: from the shutdown to the
 *     start on the target)
 * @param offline warm or cold: the guest was down or paused while its files moved, no libvirt job
 * @param bytesRaw what the transfer engine moved (warm: state file and disk; cold: disk; live: the
 *     pre-copied disk); -1 for nothing
 * @param bytesOnWire what it sent for them, compressed, both directions; -1 for nothing
 */
record Moved(MigrationOutcome outcome, boolean offline, long bytesRaw, long bytesOnWire) {
  static final Moved UNKNOWN = new Moved(new MigrationOutcome(-1, null, false), false, -1, -1);

  /** Live mode's disk was pre-copied by the transfer engine. */
  boolean precopied() {
    return !offline && bytesOnWire >= 0;
  }
}
