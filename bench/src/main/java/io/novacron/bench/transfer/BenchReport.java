package io.novacron.bench.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the measurements as {@code <name>.json}, {@code <name>.md} and the chart {@code <name>.png}
 * ({@code transfer} unless {@code --report} names another).
 */
final class BenchReport {
  static final String BASELINE = "raw copy (nc)";
  /** Marks an engine row that ran over mutual TLS; the same method without it is its plaintext twin. */
  static final String TLS_SUFFIX = ", TLS";

  private final String name;
  private final Map<String, Object> environment;
  private final List<Measurement> results;

  BenchReport(String name, Map<String, Object> environment, List<Measurement> results) {
    this.name = name;
    this.environment = environment;
    this.results = results;
  }

  /**
   * One engine row over TLS beside the same row in plaintext (same link, data set and codec).
   *
   * @param plain the plaintext row
   * @param tls the TLS row
   */
  record TlsCost(Measurement plain, Measurement tls) {
    /** How much longer the TLS row took, as a fraction of the plaintext time (0.1: 10% slower). */
    double wallCost() {
      return plain.wallSeconds() > 0 ? tls.wallSeconds() / plain.wallSeconds() - 1 : 0;
    }

    /** Extra CPU seconds per GiB of file that TLS took (both ends). */
    double cpuPerGib() {
      return (tls.cpuSeconds() - plain.cpuSeconds()) / (plain.rawBytes() / (double) (1L << 30));
    }
  }

  /** Every TLS row paired with its plaintext twin, in the order of the results. */
  static List<TlsCost> tlsCosts(List<Measurement> results) {
    List<TlsCost> out = new ArrayList<>();
    for (Measurement tls : results) {
      if (!tls.method().endsWith(TLS_SUFFIX)) {
        continue;
      }
      String twin = tls.method().substring(0, tls.method().length() - TLS_SUFFIX.length());
      results.stream()
          .filter(m -> m.method().equals(twin) && m.profile().equals(tls.profile()) && m.dataSet().equals(tls.dataSet()))
          .findFirst()
          .ifPresent(plain -> out.add(new TlsCost(plain, tls)));
    }
    return out;
  }

  /** The report of an earlier run, read back from its transfer.json. */
  @SuppressWarnings("unchecked")
  static BenchReport fromJson(Path json) throws IOException {
    String file = json.getFileName().toString();
    String name = file.endsWith(".json") ? file.substring(0, file.length() - ".json".length()) : file;
    Map<String, Object> root = new ObjectMapper().readValue(json.toFile(), LinkedHashMap.class);
    List<Measurement> results = new ArrayList<>();
    for (Map<String, Object> r : (List<Map<String, Object>>) root.get("results")) {
      results.add(new Measurement((String) r.get("profile"), (String) r.get("dataSet"), (String) r.get("method"),
          ((Number) r.get("rawBytes")).longValue(), ((Number) r.get("wallSeconds")).doubleValue(),
          ((Number) r.get("wireBytes")).longValue(), ((Number) r.get("cpuSeconds")).doubleValue(),
          (Boolean) r.get("identical"), ((Number) r.get("runs")).intValue(), (String) r.get("note")));
    }
    return new BenchReport(name, (Map<String, Object>) root.get("environment"), results);
  }

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("environment", environment);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Measurement m : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("profile", m.profile());
      row.put("dataSet", m.dataSet());
      row.put("method", m.method());
      row.put("rawBytes", m.rawBytes());
      row.put("wallSeconds", round(m.wallSeconds()));
      row.put("mibPerSec", round(m.mibPerSec()));
      row.put("wireBytes", m.wireBytes());
      row.put("reduction", round(m.reduction()));
      row.put("cpuSeconds", round(m.cpuSeconds()));
      row.put("speedupVsRawCopy", speedup(m).map(BenchReport::round).orElse(null));
      row.put("identical", m.identical());
      row.put("runs", m.runs());
      row.put("note", m.note());
      rows.add(row);
    }
    json.put("results", rows);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(name + ".json").toFile(), json);
    Files.writeString(dir.resolve(name + ".md"), markdown());
    new TransferChart(results, this::speedup).write(dir.resolve(name + ".png"));
  }

  /** Wall time of the raw copy over wall time of {@code m}, same profile and data set. */
  Optional<Double> speedup(Measurement m) {
    return results.stream()
        .filter(b -> b.method().equals(BASELINE) && b.profile().equals(m.profile()) && b.dataSet().equals(m.dataSet()))
        .findFirst()
        .filter(b -> m.wallSeconds() > 0)
        .map(b -> b.wallSeconds() / m.wallSeconds());
  }

  private String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Transfer engine benchmark\n\n");
    md.append("Generated by `io.novacron.bench.transfer.TransferBench` (`starter/scripts/bench-transfer.sh`); ")
        .append("the numbers below are from one run on the machine described here, not a promise for others. ")
        .append("Raw data: [").append(name).append(".json](").append(name).append(".json).\n\n")
        .append("![speedup over a raw copy per link and data set](").append(name).append(".png)\n\n");
    md.append("## Setup\n\n");
    environment.forEach((k, v) -> md.append("- **").append(k).append("**: ").append(v).append('\n'));
    md.append("\nColumns: *wall* from start until the file is complete at the receiver (for the engine: ")
        .append("openReceive, send and closeReceive, i.e. including hashing the delta base, the end-to-end SHA-256 ")
        .append("check and the atomic rename); *wire* bytes through the link in both directions; *raw/wire* how many ")
        .append("times smaller the traffic was than the file; *CPU* user+system seconds of both ends; ")
        .append("*MiB/CPU s* raw MiB per CPU-second of both ends, the throughput per core (on the unshaped loopback ")
        .append("the link does not limit it); *speedup* ")
        .append("wall time of the raw copy (`nc`) on the same link and data over this method's. ")
        .append("Every row's output was compared byte for byte with its input (*ok*).\n\n");
    for (String profile : distinct("profile")) {
      md.append("## Link: ").append(profile).append("\n\n");
      for (String set : distinct(profile)) {
        md.append("### ").append(set).append("\n\n");
        md.append("| method | wall s | MiB/s | wire MiB | raw/wire | CPU s | MiB/CPU s | speedup | ok |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|:-:|\n");
        for (Measurement m : results) {
          if (!m.profile().equals(profile) || !m.dataSet().equals(set)) {
            continue;
          }
          md.append(String.format(Locale.ROOT, "| %s | %.2f | %.0f | %.1f | %.2f | %.2f | %.0f | %s | %s |%n",
              m.method().replace("|", "\\|"),
              m.wallSeconds(), m.mibPerSec(), m.wireBytes() / 1048576.0, m.reduction(), m.cpuSeconds(),
              m.mibPerCpuSecond(),
              speedup(m).map(s -> String.format(Locale.ROOT, "%.2fx", s)).orElse("-"), m.identical() ? "yes" : "**NO**"));
        }
        md.append('\n');
      }
    }
    md.append(tlsSection());
    md.append(headline());
    md.append("## Engine details\n\n");
    for (Measurement m : results) {
      if (m.method().startsWith("engine")) {
        md.append("- ").append(m.profile()).append(" / ").append(m.dataSet()).append(" / ").append(m.method())
            .append(": ").append(m.note()).append('\n');
      }
    }
    return md.toString();
  }

  /** The claim the seeds make, checked against these numbers. */
  static final double CLAIMED_SPEEDUP = 9.39;

  /**
   * Per link and data set: the raw copy's time, the engine's best and auto speedups, the best
   * other tool. Then the seeds' "9.39x faster WAN migration" against the shaped link.
   */
  private String headline() {
    StringBuilder md = new StringBuilder("## Headline figures\n\n");
    md.append("| link | data set | raw copy s | engine auto | best engine (method) | zstd -T2 \\| nc | best rsync |\n");
    md.append("|---|---|---:|---:|---|---:|---:|\n");
    double bestWan = 0;
    String bestWanWhere = "";
    List<String> reached = new ArrayList<>();
    for (String profile : distinct("profile")) {
      for (String set : distinct(profile)) {
        List<Measurement> rows = results.stream().filter(m -> m.profile().equals(profile) && m.dataSet().equals(set)).toList();
        Optional<Measurement> auto = rows.stream().filter(m -> m.method().equals("engine auto")).findFirst();
        Optional<Measurement> bestEngine = rows.stream().filter(m -> m.method().startsWith("engine"))
            .min(java.util.Comparator.comparingDouble(Measurement::wallSeconds));
        Optional<Measurement> zstd = rows.stream().filter(m -> m.method().startsWith("zstd")).findFirst();
        Optional<Measurement> rsync = rows.stream().filter(m -> m.method().startsWith("rsync"))
            .min(java.util.Comparator.comparingDouble(Measurement::wallSeconds));
        Optional<Measurement> raw = rows.stream().filter(m -> m.method().equals(BASELINE)).findFirst();
        md.append("| ").append(profile).append(" | ").append(set).append(" | ")
            .append(raw.map(m -> String.format(Locale.ROOT, "%.2f", m.wallSeconds())).orElse("-")).append(" | ")
            .append(auto.flatMap(this::speedup).map(BenchReport::times).orElse("-")).append(" | ")
            .append(bestEngine.map(m -> speedup(m).map(BenchReport::times).orElse("-") + " (" + m.method() + ")").orElse("-"))
            .append(" | ").append(zstd.flatMap(this::speedup).map(BenchReport::times).orElse("-"))
            .append(" | ").append(rsync.map(m -> speedup(m).map(BenchReport::times).orElse("-") + " (" + m.method() + ")")
                .orElse("-"))
            .append(" |\n");
        if (profile.equals("wan") && bestEngine.isPresent()) {
          double x = speedup(bestEngine.get()).orElse(0.0);
          if (x >= CLAIMED_SPEEDUP) {
            reached.add(String.format(Locale.ROOT, "%s (%.2fx, %s)", set, x, bestEngine.get().method()));
          }
          if (x > bestWan) {
            bestWan = x;
            bestWanWhere = set + ", " + bestEngine.get().method();
          }
        }
      }
    }
    md.append("\nSpeedups are over the raw copy (`nc`) on the same link and data.\n\n");
    md.append("### The seeds' \"9.39x faster WAN migration\"\n\n");
    if (bestWanWhere.isEmpty()) {
      md.append("Not checked: the shaped link was not measured in this run.\n\n");
    } else {
      md.append(String.format(Locale.ROOT, "On the shaped link the engine's best speedup over a raw copy was %.2fx (%s). ",
          bestWan, bestWanWhere));
      md.append(reached.isEmpty()
          ? "No data set reached 9.39x; "
          : "9.39x or more was reached on " + String.join(" and ", reached) + ", and on no other data set; ");
      md.append("the factor is set by how much of the data is zero, compressible or already at the receiver, not by "
          + "the engine: on random data every method runs at link speed (about 1x), and the same engine run is "
          + "several times faster on a mostly-zero image than on a RAM-like one. A speedup figure without its data "
          + "set and link says nothing.\n\n");
    }
    return md.toString();
  }

  /** The TLS rows beside their plaintext twins; empty when the run had none. */
  private String tlsSection() {
    List<TlsCost> costs = tlsCosts(results);
    if (costs.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("## TLS cost\n\n");
    md.append("The same engine transfers in plaintext and over mutual TLS 1.3 (`NOVACRON_TRANSFER_TLS_*`, ")
        .append("docs/security.md). *cost*: how much longer the TLS run took; *extra CPU s/GiB*: extra CPU seconds per GiB ")
        .append("of file, both ends. On a shared machine single runs scatter by more than small differences: ")
        .append("read the load averages in Setup before reading a few percent into a row.\n\n");
    md.append("| link | data set | codec | plaintext MiB/s | TLS MiB/s | cost | CPU s plaintext | CPU s TLS | extra CPU s/GiB |\n");
    md.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (TlsCost c : costs) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.0f | %+.0f%% | %.2f | %.2f | %+.2f |%n",
          c.plain().profile(), c.plain().dataSet(), c.plain().method().replace("engine ", ""),
          c.plain().mibPerSec(), c.tls().mibPerSec(), c.wallCost() * 100, c.plain().cpuSeconds(),
          c.tls().cpuSeconds(), c.cpuPerGib()));
    }
    md.append('\n');
    return md.toString();
  }

  private static String times(double x) {
    return String.format(Locale.ROOT, "%.2fx", x);
  }

  private List<String> distinct(String profileOrKey) {
    List<String> out = new ArrayList<>();
    for (Measurement m : results) {
      String v = profileOrKey.equals("profile") ? m.profile() : m.profile().equals(profileOrKey) ? m.dataSet() : null;
      if (v != null && !out.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
