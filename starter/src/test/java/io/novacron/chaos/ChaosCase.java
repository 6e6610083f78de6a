package io.novacron.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One cell of the chaos matrix: a run (a migration mode, a provisioning, or a power action), what
 * is done to it (a process killed with SIGKILL and restarted as it was started, or a cancel), and
 * when.
 */
record ChaosCase(String mode, Fault fault, Phase phase) {
  /**
   * The migration modes: a VM moves between the lab's two nodes. {@code live} asks for the disk's
   * pre-copy; {@code live-mirror} is live with the disk left to libvirt's storage mirror, what a
   * request that does not say gets for a small disk that stands alone, as the lab guest's.
   */
  static final List<String> MIGRATIONS = List.of("live", "live-mirror", "warm", "cold");
  /** Runs that change a VM on its one node: create it, shut it off, start it. */
  static final List<String> LIFECYCLE = List.of("provision", "power-off", "power-on");

  /** What happens to the run. */
  enum Fault {
    SOURCE_AGENT, TARGET_AGENT, CONTROL_PLANE, TEMPORAL, SOURCE_LIBVIRTD, TARGET_LIBVIRTD, CANCEL;

    /** A run on one node has no target: its node's agent and libvirtd stand in for the source's. */
    boolean in(String mode) {
      return MIGRATIONS.contains(mode) || this != TARGET_AGENT && this != TARGET_LIBVIRTD;
    }

    /** The process this fault kills in a run from {@code source} to {@code target} (or on {@code source}). */
    ChaosStack.Process process(String source, String target) {
      boolean sourceIsA = source.equals("lab-a");
      return switch (this) {
        case SOURCE_AGENT -> sourceIsA ? ChaosStack.Process.AGENT_A : ChaosStack.Process.AGENT_B;
        case TARGET_AGENT -> sourceIsA ? ChaosStack.Process.AGENT_B : ChaosStack.Process.AGENT_A;
        case SOURCE_LIBVIRTD -> sourceIsA ? ChaosStack.Process.LIBVIRTD_A : ChaosStack.Process.LIBVIRTD_B;
        case TARGET_LIBVIRTD -> sourceIsA ? ChaosStack.Process.LIBVIRTD_B : ChaosStack.Process.LIBVIRTD_A;
        case CONTROL_PLANE -> ChaosStack.Process.CONTROL_PLANE;
        case TEMPORAL -> ChaosStack.Process.TEMPORAL;
        case CANCEL -> throw new IllegalArgumentException("a cancel kills nothing");
      };
    }

    String id(String mode) {
      String id = name().toLowerCase(Locale.ROOT).replace('_', '-');
      return MIGRATIONS.contains(mode) ? id : id.replace("source-", "");
    }
  }

  /** When it happens. */
  enum Phase {
    /** Provision only: while the node creates the VM's disk from its image. */
    PREPARE("prepare-storage"),
    /** Provision only: while the node defines the domain. */
    DEFINE("define"),
    /** Provision and power-on: while the node starts the guest. */
    START("start"),
    /** Live only: while the transfer engine pre-copies the disk. */
    PRECOPY("precopy"),
    /**
     * Warm, cold and power-off: while the source stops the guest (warm's save, cold's and
     * power-off's shutdown), a step that changes the guest with no libvirt job to see it by.
     */
    STOP("stop"),
    /** Half-way through the memory transfer (live, from libvirt's job statistics) or the file streams. */
    TRANSFER("transfer-50%"),
    /** Right after the guest is handed over: libvirt's job ended (live), restored (warm), started (cold). */
    SWITCHOVER("switch-over"),
    /** When the run enters verify (a move's, or the wait for a started guest's readiness line). */
    VERIFY("verify"),
    /** When the run enters cleanup-source. */
    CLEANUP("cleanup-source");

    final String id;

    Phase(String id) {
      this.id = id;
    }

    /**
     * Live mode has no stop (the guest runs through the move); only live mode pre-copies; a run on
     * one node has its own steps.
     */
    boolean in(String mode) {
      return switch (mode) {
        case "provision" -> List.of(PREPARE, DEFINE, START, VERIFY).contains(this);
        case "power-off" -> this == STOP;
        case "power-on" -> this == START || this == VERIFY;
        default -> switch (this) {
          case PREPARE, DEFINE, START -> false;
          case PRECOPY -> mode.equals("live");
          case STOP -> !live(mode);
          default -> true;
        };
      };
    }
  }

  /** Whether {@code mode} moves the guest while it runs (live, with or without the pre-copy). */
  static boolean live(String mode) {
    return mode.equals("live") || mode.equals("live-mirror");
  }

  String id() {
    return mode + "/" + fault.id(mode) + "/" + phase.id;
  }

  /** Whether the case moves a VM between nodes (else it changes one on its node). */
  boolean migrates() {
    return MIGRATIONS.contains(mode);
  }

  /** Every case: each mode, each fault, each phase the mode has. */
  static List<ChaosCase> all() {
    List<ChaosCase> cases = new ArrayList<>();
    for (String mode : Stream.concat(MIGRATIONS.stream(), LIFECYCLE.stream()).toList()) {
      for (Fault fault : Fault.values()) {
        for (Phase phase : Phase.values()) {
          if (phase.in(mode) && fault.in(mode)) {
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
   * shuts it down (the races of a cancel with a step in flight; the first left two copies); and
   * the node's agent killed while a provisioning, a power-off and a power-on change the guest.
   */
  static List<ChaosCase> ci() {
    List<ChaosCase> cases = new ArrayList<>();
    for (String mode : MIGRATIONS) {
      for (Fault fault : List.of(Fault.SOURCE_AGENT, Fault.TARGET_AGENT, Fault.CONTROL_PLANE)) {
        cases.add(new ChaosCase(mode, fault, Phase.TRANSFER));
      }
    }
    cases.add(new ChaosCase("cold", Fault.CANCEL, Phase.SWITCHOVER));
    cases.add(new ChaosCase("cold", Fault.CANCEL, Phase.STOP));
    cases.add(new ChaosCase("provision", Fault.SOURCE_AGENT, Phase.START));
    cases.add(new ChaosCase("power-off", Fault.SOURCE_AGENT, Phase.STOP));
    cases.add(new ChaosCase("power-on", Fault.SOURCE_AGENT, Phase.START));
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
