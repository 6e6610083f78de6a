package io.novacron.bench.migrate;

import io.novacron.bench.migrate.MigrationBench.Move;
import io.novacron.bench.migrate.MigrationBench.OptionSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/** Percentiles and ratios per option set, and the Markdown report. */
final class BenchSummary {
  private BenchSummary() {}

  /** Nearest-rank percentile of the values (p in 0..100); -1 for none. */
  static long percentile(List<Long> values, int p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  static List<Map<String, Object>> summarize(List<OptionSet> sets, List<Map<String, Object>> rows) {
    List<Map<String, Object>> summary = new ArrayList<>();
    for (OptionSet set : sets) {
      List<Move> ours = moves(rows, set.name(), "migrateVm");
      List<Move> base = moves(rows, set.name(), "virshBaseline");
      if (ours.isEmpty()) {
        continue;
      }
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("set", set.name());
      s.put("description", set.description());
      s.put("rounds", ours.size());
      s.put("migrateVm", stats(ours));
      s.put("virshBaseline", stats(base));
      Map<String, Object> ratio = new LinkedHashMap<>();
      ratio.put("downtimeP50", ratio(ours, base, Move::downtimeMs, 50));
      ratio.put("downtimeP95", ratio(ours, base, Move::downtimeMs, 95));
      ratio.put("totalP50", ratio(ours, base, Move::totalMs, 50));
      ratio.put("wireBytesP50", ratio(ours, base, Move::wireBytes, 50));
      ratio.put("networkGapP50", ratio(probed(ours), probed(base), m -> m.net().longestGapMillis(), 50));
      ratio.put("networkGapP95", ratio(probed(ours), probed(base), m -> m.net().longestGapMillis(), 95));
      s.put("ratioToVirsh", ratio);
      List<MigrationBench.Timing> timings = ours.stream().map(Move::timing).filter(t -> t != null).toList();
      if (!timings.isEmpty()) {
        s.put("phaseMsP50", phasesP50(timings));
        s.put("taskMsP50", tasksP50(timings));
      }
      summary.add(s);
    }
    return summary;
  }

  /** Per phase, the p50 over the rounds of its ms (a round that never entered it counts 0). */
  static Map<String, Long> phasesP50(List<MigrationBench.Timing> timings) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (MigrationBench.Timing t : timings) {
      t.phases().keySet().forEach(k -> out.putIfAbsent(k, 0L));
    }
    out.replaceAll((phase, zero) -> percentile(timings.stream()
        .map(t -> t.phases().getOrDefault(phase, 0L)).toList(), 50));
    return out;
  }

  /** Per task type, the p50 over the rounds of its count, wait for a worker and run time. */
  static List<PhaseBreakdown.Totals> tasksP50(List<MigrationBench.Timing> timings) {
    Map<String, List<PhaseBreakdown.Totals>> byType = new LinkedHashMap<>();
    for (MigrationBench.Timing t : timings) {
      t.tasks().forEach(x -> byType.computeIfAbsent(x.type(), k -> new ArrayList<>()).add(x));
    }
    List<PhaseBreakdown.Totals> out = new ArrayList<>();
    byType.forEach((type, list) -> out.add(new PhaseBreakdown.Totals(type,
        (int) percentile(list.stream().map(x -> (long) x.count()).toList(), 50),
        percentile(list.stream().map(PhaseBreakdown.Totals::waitMs).toList(), 50),
        percentile(list.stream().map(PhaseBreakdown.Totals::runMs).toList(), 50))));
    return out;
  }

  private static Map<String, Object> stats(List<Move> moves) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("downtimeMsP50", percentile(values(moves, Move::downtimeMs), 50));
    m.put("downtimeMsP95", percentile(values(moves, Move::downtimeMs), 95));
    m.put("totalMsP50", percentile(values(moves, Move::totalMs), 50));
    m.put("totalMsP95", percentile(values(moves, Move::totalMs), 95));
    m.put("wireBytesP50", percentile(values(moves, Move::wireBytes), 50));
    List<Move> probed = probed(moves);
    m.put("networkGapMsP50", percentile(values(probed, x -> x.net().longestGapMillis()), 50));
    m.put("networkGapMsP95", percentile(values(probed, x -> x.net().longestGapMillis()), 95));
    m.put("probed", probed.size());
    m.put("connectionSurvived", probed.stream().filter(x -> x.net().survived()).count());
    m.put("echoesLost", probed.stream().mapToLong(x -> x.net().lost()).sum());
    return m;
  }

  private static double ratio(List<Move> ours, List<Move> base, ToLongFunction<Move> f, int p) {
    long b = percentile(values(base, f), p);
    long o = percentile(values(ours, f), p);
    return b <= 0 || o < 0 ? -1 : Math.round(1000.0 * o / b) / 1000.0;
  }

  /** The moves a client probe watched. */
  private static List<Move> probed(List<Move> moves) {
    return moves.stream().filter(m -> m.net() != null).toList();
  }

  /** "-" for a percentile of nothing (-1), else the number. */
  static String orDash(Object v) {
    long n = ((Number) v).longValue();
    return n < 0 ? "-" : String.valueOf(n);
  }

  /** "-" for a ratio that could not be taken (-1). */
  static String ratioOrDash(Object v) {
    double d = ((Number) v).doubleValue();
    return d < 0 ? "-" : String.format(Locale.ROOT, "%.2f", d);
  }

  private static List<Long> values(List<Move> moves, ToLongFunction<Move> f) {
    return moves.stream().map(m -> f.applyAsLong(m)).filter(v -> v >= 0).toList();
  }

  private static List<Move> moves(List<Map<String, Object>> rows, String set, String key) {
    return rows.stream().filter(r -> set.equals(r.get("set"))).map(r -> (Move) r.get(key)).toList();
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> env, List<OptionSet> sets, Map<String, Object> report) {
    StringBuilder md = new StringBuilder();
    md.append("# Migration benchmark\n\n")
        .append("`novacron bench migrate` (starter/scripts/bench-migrate.sh, `MigrationBench`). Each round moves\n")
        .append("one guest lab-a -> lab-b with `MigrateVm` (the real workflow on a Temporal dev server, both\n")
        .append("agents' activities in the benchmark's JVM) and straight back lab-b -> lab-a with a plain\n")
        .append("`virsh migrate --live --p2p --persistent --undefinesource --copy-storage-all` (same disk and\n")
        .append("XML preparation), the baseline of the same guest in the same round. Ratio = MigrateVm / virsh\n")
        .append("(below 1: less). With `--directions=alternate` even rounds swap (virsh a -> b, then MigrateVm\n")
        .append("b -> a), so that both see both directions (the row `directions` says which). Raw numbers per\n")
        .append("round: [migrate.json](migrate.json).\n\n");
    md.append("| | |\n|---|---|\n");
    env.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    md.append("\n| set | rounds | downtime p50 / p95 (ms) | virsh downtime p50 / p95 | ratio p50 / p95 "
        + "| total p50 (s) | virsh total p50 | ratio | wire p50 (MB) | virsh wire p50 | ratio "
        + "| network gap p50 / p95 (ms) | virsh network gap p50 / p95 | ratio p50 / p95 "
        + "| connection survived | virsh connection survived |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map<String, Object> s : (List<Map<String, Object>>) report.get("summary")) {
      Map<String, Object> o = (Map<String, Object>) s.get("migrateVm");
      Map<String, Object> b = (Map<String, Object>) s.get("virshBaseline");
      Map<String, Object> r = (Map<String, Object>) s.get("ratioToVirsh");
      md.append(String.format(Locale.ROOT,
          "| %s | %d | %d / %d | %d / %d | %.2f / %.2f | %.2f | %.2f | %.2f | %.1f | %.1f | %.2f "
              + "| %s / %s | %s / %s | %s / %s | %d/%d | %d/%d |%n",
          s.get("description"), s.get("rounds"), o.get("downtimeMsP50"), o.get("downtimeMsP95"),
          b.get("downtimeMsP50"), b.get("downtimeMsP95"), r.get("downtimeP50"), r.get("downtimeP95"),
          ms(o.get("totalMsP50")), ms(b.get("totalMsP50")), r.get("totalP50"),
          mb(o.get("wireBytesP50")), mb(b.get("wireBytesP50")), r.get("wireBytesP50"),
          orDash(o.get("networkGapMsP50")), orDash(o.get("networkGapMsP95")),
          orDash(b.get("networkGapMsP50")), orDash(b.get("networkGapMsP95")),
          ratioOrDash(r.get("networkGapP50")), ratioOrDash(r.get("networkGapP95")),
          o.get("connectionSurvived"), o.get("probed"), b.get("connectionSurvived"), b.get("probed")));
    }
    md.append(breakdown((List<Map<String, Object>>) report.get("summary")));
    md.append("\n").append(addressVerdict(env, (List<Map<String, Object>>) report.get("summary"))).append("\n");
    List<Map<String, Object>> failures = (List<Map<String, Object>>) report.getOrDefault("failures", List.of());
    if (!failures.isEmpty()) {
      md.append("\n**Failed rounds** (not in the table, whose rounds column counts the rounds that completed;"
          + " a fresh guest with the same MAC went on with the next round; console tails in the JSON's"
          + " `failures`):\n\n");
      for (Map<String, Object> f : failures) {
        md.append("- ").append(f.get("set")).append(" round ").append(f.get("round")).append(", at ")
            .append(f.get("stage")).append(": ").append(f.get("error")).append("\n");
      }
    }
    md.append("\nHow each figure is taken:\n\n")
        .append("- **downtime**: live moves and virsh: libvirt's completed-job `downtime` on the target. Warm: the\n")
        .append("  workflow's own measure from the start of the save to the resume on the target (the guest is\n")
        .append("  paused for the whole copy). Cold: from the shutdown request to the guest started on the target.\n")
        .append("- **total**: MigrateVm from the client's start to its result, every phase included (check,\n")
        .append("  prepare, transfer, verify, cleanup, and the slot request; live also its disk pre-copy and the\n")
        .append("  overlay's merge on the target); virsh: the `virsh migrate` command\n")
        .append("  alone (its target preparation is not timed). The ratio therefore favours the baseline.\n")
        .append("- **network gap**: the downtime a client on the network sees. For every move (MigrateVm and\n")
        .append("  virsh alike) `io.novacron.bench.net.NetProbe` runs in the lab's third namespace `novacron-c`\n")
        .append("  (10.77.0.3, on the same L2 segment as both nodes' bridges) with ONE TCP connection to the\n")
        .append("  guest's echo service (port 7), a line every 10 ms; it starts ~1 s before the move and stops\n")
        .append("  ~1 s after it (8 s after a warm or cold move, so that TCP's backed-off retransmission after\n")
        .append("  seconds of pause gets through inside the window). The gap is the longest interval between two\n")
        .append("  consecutive echoes (or from the last echo to the end, if they stopped): libvirt's pause plus\n")
        .append("  whatever it takes the client's next segment to reach the guest again: QEMU's RARP\n")
        .append("  announcement, the bridges' FDB relearning the guest's MAC on the target (and on a's bridge,\n")
        .append("  which the client's veth hangs off), TCP retransmission back-off, and TCG's slow first echoes.\n")
        .append("  Warm and cold pause or stop the guest for the whole move, so their gap is at least their\n")
        .append("  downtime. Cold's connection cannot survive the guest's shutdown: the client's next segment\n")
        .append("  after the reboot is reset, its echoes stop for good, and its gap runs to the end of the\n")
        .append("  window (a lower bound that depends on the window, not a recovery time).\n")
        .append("- **connection survived**: moves whose probe connection was neither reset nor closed and got\n")
        .append("  every echo back in order (`same_connection` and no echo `lost`), of the moves probed. The\n")
        .append("  probe never reconnects, so a surviving connection proves the guest answered on the same\n")
        .append("  address (its DHCP lease follows its fixed MAC) on both nodes; the JSON has each probe's `lost`\n")
        .append("  echoes and error.\n")
        .append("- **wire**: the veth's tx counter of the source's namespace (QEMU 7.2 under-reports compressed\n")
        .append("  migration streams, so its own counters are not used), plus the transfer engine's own count\n")
        .append("  of its connections' bytes (payload, no TCP/IP headers) for warm, cold and live's disk\n")
        .append("  pre-copy: those streams run between the two agents inside this JVM, over loopback.\n")
        .append("- **where the time goes**: per set, the p50 over the rounds of each phase of MigrateVm's own\n")
        .append("  timeline (its `status` query: each phase lasts until the next; `start` is the client's start\n")
        .append("  to the first phase, `release + result` the run's final state to the client's result: the\n")
        .append("  target's capacity and the slot released, the result delivered), its share of the total p50,\n")
        .append("  and the virsh total beside it; then per Temporal task type of the run's history (activities\n")
        .append("  and workflow tasks) the count, the summed wait for a worker (schedule-to-start) and the summed\n")
        .append("  run (start to close), p50 over the rounds. Workflow time moves per workflow task, so phases\n")
        .append("  entered in one task share its timestamp. `--histories=DIR` also writes each run's history.\n")
        .append("- The 1 GiB disk is sparse and unwritten and the guest idles, so the live figures are the cost\n")
        .append("  of 128 MiB of mostly-zero memory plus the disk's allocation map: the best case. TCG guests on 2\n")
        .append("  shared cores; other builds ran at the same time (load average above), so read the numbers as\n")
        .append("  rough.\n");
    return md.toString();
  }

  /**
   * Per set, where MigrateVm's time goes: p50 ms of each phase of its run's timeline, its share of
   * the total's p50, the virsh total beside it; then the history's tasks (count, wait, run).
   */
  @SuppressWarnings("unchecked")
  static String breakdown(List<Map<String, Object>> summary) {
    StringBuilder md = new StringBuilder();
    for (Map<String, Object> s : summary) {
      Map<String, Long> phases = (Map<String, Long>) s.get("phaseMsP50");
      if (phases == null) {
        continue;
      }
      long total = ((Number) ((Map<String, Object>) s.get("migrateVm")).get("totalMsP50")).longValue();
      long virsh = ((Number) ((Map<String, Object>) s.get("virshBaseline")).get("totalMsP50")).longValue();
      md.append("\n**Where MigrateVm's time goes, ").append(s.get("description")).append("** (p50 per phase of the")
          .append(" run's timeline over the rounds; total p50 ").append(total).append(" ms, virsh total p50 ")
          .append(virsh).append(" ms):\n\n| phase | p50 ms | share of total | virsh total ms |\n|---|---:|---:|---:|\n");
      phases.forEach((phase, ms) -> md.append(String.format(Locale.ROOT, "| %s | %d | %.0f%% | %d |%n",
          phase, ms, total > 0 ? 100.0 * ms / total : 0, virsh)));
      md.append("\n| Temporal task | count p50 | schedule-to-start p50 (ms, summed) | run p50 (ms, summed) |\n")
          .append("|---|---:|---:|---:|\n");
      for (PhaseBreakdown.Totals t : (List<PhaseBreakdown.Totals>) s.get("taskMsP50")) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d |%n", t.type(), t.count(), t.waitMs(), t.runMs()));
      }
    }
    return md.toString();
  }

  /**
   * The flag the issue asks for: did the guest keep its address? The probe never reconnects, so
   * a connection that survived a move proves the same address answered on both nodes.
   */
  @SuppressWarnings("unchecked")
  static String addressVerdict(Map<String, Object> env, List<Map<String, Object>> summary) {
    long probed = 0;
    long survived = 0;
    List<String> broken = new ArrayList<>();
    for (Map<String, Object> s : summary) {
      for (String side : List.of("migrateVm", "virshBaseline")) {
        Map<String, Object> m = (Map<String, Object>) s.get(side);
        long n = ((Number) m.getOrDefault("probed", 0)).longValue();
        long ok = ((Number) m.getOrDefault("connectionSurvived", 0L)).longValue();
        probed += n;
        survived += ok;
        if (ok < n) {
          broken.add(s.get("set") + " " + ("migrateVm".equals(side) ? "MigrateVm" : "virsh") + " " + (n - ok) + " of " + n);
        }
      }
    }
    Object address = env.getOrDefault("guest address", "its address");
    if (probed == 0) {
      return "**Guest address: NOT CHECKED**: no move was probed.";
    }
    if (broken.isEmpty()) {
      return String.format(Locale.ROOT, "**Guest address kept**: the client's one TCP connection to %s survived"
          + " all %d probed moves (%d MigrateVm, %d virsh), so the guest answered on the same address on both nodes.",
          address, probed, probed / 2, probed - probed / 2);
    }
    return String.format(Locale.ROOT, "**Client connection did not survive** %d of %d probed moves (%s): reset"
        + " (`net.error`), or echoes still missing when the probe stopped (`net.lost`, see the JSON); there the"
        + " probe cannot show that the guest kept %s.",
        probed - survived, probed, String.join(", ", broken), address);
  }

  private static double ms(Object v) {
    return ((Number) v).longValue() / 1000.0;
  }

  private static double mb(Object v) {
    return ((Number) v).longValue() / 1e6;
  }
}
