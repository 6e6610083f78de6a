package io.novacron.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One cell of the chaos matrix: a migration mode, what is done to it (a process killed with
 * SIGKILL and restarted as it was started, or a cancel), and when.
 */
record ChaosCase(String mode, Fault fault, Phase phase) {

  /** What happens to the move. */
  enum Fault {
    SOURCE_AGENT, TARGET_AGENT, CONTROL_PLANE, TEMPORAL, SOURCE_LIBVIRTD, TARGET_LIBVIRTD, CANCEL;

    String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** When it happens. */
  enum Phase {
    /** Live only: while the transfer engine pre-copies the disk. */
    PRECOPY("precopy"),
    /**
     * Warm and cold only: while the source stops the guest (warm's save, cold's shutdown), a step
     * that changes the guest with no libvirt job to see it by.
     */
    STOP("stop"),
    /** Half-way through the memory transfer (live, from libvirt's job statistics) or the file streams. */
    TRANSFER("transfer-50%"),
    /** Right after the guest is handed over: libvirt's job ended (live), restored (warm), started (cold). */
    SWITCHOVER("switch-over"),
    /** When the run enters verify. */
    VERIFY("verify"),
    /** When the run enters cleanup-source. */
    CLEANUP("cleanup-source");

    final String id;

    Phase(String id) {
      this.id = id;
    }

    /** Live mode has no stop (the guest runs through the move); only live mode pre-copies. */
    boolean in(String mode) {
      return switch (this) {
        case PRECOPY -> mode.equals("live");
        case STOP -> !mode.equals("live");
        default -> true;
      };
    }
  }

  String id() {
    return mode + "/" + fault.id() + "/" + phase.id;
  }

  /** Every case: each mode, each fault, each phase the mode has. */
  static List<ChaosCase> all() {
    List<ChaosCase> cases = new ArrayList<>();
    for (String mode : List.of("live", "warm", "cold")) {
      for (Fault fault : Fault.values()) {
        for (Phase phase : Phase.values()) {
          if (phase.in(mode)) {
            cases.add(new ChaosCase(mode, fault, phase));
          }
        }
      }
    }
    return cases;
  }

  /**
   * What CI runs: the source agent, the target agent and the control plane killed mid-transfer in
   * each mode, and a cold move cancelled while the target starts the guest and while the source
   * shuts it down (the races of a cancel with a step in flight; the first left two copies).
   */
  static List<ChaosCase> ci() {
    List<ChaosCase> cases = new ArrayList<>();
    for (String mode : List.of("live", "warm", "cold")) {
      for (Fault fault : List.of(Fault.SOURCE_AGENT, Fault.TARGET_AGENT, Fault.CONTROL_PLANE)) {
        cases.add(new ChaosCase(mode, fault, Phase.TRANSFER));
      }
    }
    cases.add(new ChaosCase("cold", Fault.CANCEL, Phase.SWITCHOVER));
    cases.add(new ChaosCase("cold", Fault.CANCEL, Phase.STOP));
    return cases;
  }

  /**
   * {@code ci}, {@code all}, or a comma-separated list of ids or id prefixes
   * ({@code live/source-agent}, {@code warm/cancel/verify}).
   */
  static List<ChaosCase> select(String selection) {
    if (selection == null || selection.isBlank() || selection.equals("ci")) {
      return ci();
    }
    if (selection.equals("all")) {
      return all();
    }
    List<ChaosCase> chosen = new ArrayList<>();
    for (String wanted : selection.split(",")) {
      for (ChaosCase c : all()) {
        if (c.id().startsWith(wanted.strip()) && !chosen.contains(c)) {
          chosen.add(c);
        }
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("chaos.cases=" + selection + " names no case; ids look like "
          + all().get(0).id());
    }
    return chosen;
  }
}
