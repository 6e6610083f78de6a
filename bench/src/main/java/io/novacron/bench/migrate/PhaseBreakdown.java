package io.novacron.bench.migrate;

import io.novacron.workflows.run.PhaseEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where one MigrateVm's time went, as pure functions of what the bench collects after the move:
 * the run's own phase timeline (the {@code status} query) between the client's start and its
 * result, and the spans of the Temporal history's activity and workflow tasks (scheduled, started,
 * closed), which split each step into its wait for a worker and its run.
 */
final class PhaseBreakdown {
  /** From the client's start to the run's first phase: workflow start and its first task's pickup. */
  static final String START = "start";
  /** From the run's final state to the client's result: capacity and slot released, result delivered. */
  static final String RELEASE = "release + result";
  /** The run's terminal phases (RunTracker#finish names them after the state). */
  private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled", "abandoned");

  private PhaseBreakdown() {}

  /**
   * Milliseconds per phase, in first-entered order: each timeline entry lasts until the next one
   * (the last until {@code endMs}); a phase entered more than once sums its stays. Time before the
   * first entry is {@link #START}, time after a final state {@link #RELEASE}. The values add up to
   * {@code endMs - startMs} when the timeline lies inside that interval.
   *
   * @param startMs the client's start, epoch ms (same clock as the workflow's: one machine)
   * @param timeline the run's phases, in order
   * @param endMs the client's result, epoch ms
   */
  static Map<String, Long> phases(long startMs, List<PhaseEvent> timeline, long endMs) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (timeline.isEmpty()) {
      out.put(START, endMs - startMs);
      return out;
    }
    out.put(START, Math.max(0, timeline.get(0).atMillis() - startMs));
    for (int i = 0; i < timeline.size(); i++) {
      PhaseEvent e = timeline.get(i);
      long until = i + 1 < timeline.size() ? timeline.get(i + 1).atMillis() : endMs;
      String name = FINAL.contains(e.phase()) ? RELEASE : e.phase();
      out.merge(name, Math.max(0, until - e.atMillis()), Long::sum);
    }
    return out;
  }

  /**
   * One task of the history: an activity (its type) or a workflow task.
   *
   * @param scheduledMs when it was scheduled; startedMs when a worker took it (its last attempt);
   *     closedMs when it completed, failed, timed out or was cancelled
   */
  record Span(String type, long scheduledMs, long startedMs, long closedMs) {}

  /**
   * Per task type: how many, the time they waited for a worker (schedule-to-start, summed), and
   * the time they ran (start to close, summed); in first-scheduled order. Spans not started or
   * not closed are left out.
   */
  record Totals(String type, int count, long waitMs, long runMs) {}

  static List<Totals> tasks(List<Span> spans) {
    Map<String, Totals> out = new LinkedHashMap<>();
    for (Span s : spans) {
      if (s.startedMs() < 0 || s.closedMs() < 0) {
        continue;
      }
      Totals t = new Totals(s.type(), 1, Math.max(0, s.startedMs() - s.scheduledMs()),
          Math.max(0, s.closedMs() - s.startedMs()));
      out.merge(s.type(), t, (a, b) -> new Totals(a.type(), a.count() + b.count(), a.waitMs() + b.waitMs(),
          a.runMs() + b.runMs()));
    }
    return new ArrayList<>(out.values());
  }
}
