package io.novacron.bench.temporal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The markdown of {@link PersistenceBench}'s results. */
final class PersistenceReport {
  private PersistenceReport() {}

  static String markdown(Map<String, Object> report, List<PersistenceBench.Result> results) {
    StringBuilder md = new StringBuilder();
    md.append("# What Temporal's persistence costs a workflow step\n\n")
        .append("Written by `novacron bench temporal` (starter/scripts/bench-temporal.sh, ")
        .append("io.novacron.bench.temporal.PersistenceBench) on ").append(report.get("at"))
        .append("; raw figures in [temporal.json](temporal.json). Machine: ").append(report.get("cpus"))
        .append(" CPUs; ").append(report.get("temporal")).append(".\n\n")
        .append("Per mode, a fresh `temporal server start-dev` and a workflow of sequential activities that do ")
        .append("nothing, so that a step (one activity and the workflow task after it, what every phase of a ")
        .append("NovaCron workflow costs at least) is all orchestration and persistence. *fsyncs per step*: the ")
        .append("server's fsync and fdatasync calls over the measured runs (`strace -f -c`), divided by the steps; ")
        .append("it does not depend on load or disk. *ms per step* does: each fsync costs what this disk takes ")
        .append("to make a write durable, and strace itself slows every traced call a little.\n\n")
        .append("| mode | ms per step p50 | ms per step max | fsyncs per step | runs x steps | load before/after |\n")
        .append("|---|---:|---:|---:|---:|---|\n");
    for (PersistenceBench.Result r : results) {
      md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d x %d | %s / %s |%n", r.description(),
          r.msPerStepP50(), r.msPerStepMax(), r.fsyncsPerStep(), r.runs(), r.steps(), r.loadBefore(), r.loadAfter()));
    }
    md.append("\nNovaCron's single-node Temporal (`novacron up`, deploy/systemd/novacron-temporal.service) runs ")
        .append("`--sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=full`: the write-ahead log is ")
        .append("synced at every commit, so an acknowledged step survives a crash of the machine as it does with ")
        .append("SQLite's default rollback journal, with fewer fsyncs. `synchronous=normal` would sync only at ")
        .append("checkpoints and can lose the last commits when the machine (not the server) crashes.\n\n")
        .append("Every mode but the last also runs `--dynamic-config-value history.transferProcessorMaxPollRPS=200`, ")
        .append("as NovaCron does: the history service reads its transfer queue (the tasks that hand each scheduled ")
        .append("workflow or activity task to matching) at most 20 times a second by default. Once a workflow has ")
        .append("spent the limiter's burst, each of a step's two tasks waits about 40 ms for its read, whatever the ")
        .append("storage: the `wal-full-20rps` row, and what every mode measured before the limit was raised.\n");
    return md.toString();
  }
}
