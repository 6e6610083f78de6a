package io.novacron.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.bench.projection.ProjectionBench;
import io.novacron.bench.shard.ShardBench;
import io.novacron.bench.transfer.TransferBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks' smoke runs in CI: tiny data, one round, and only functional checks (every row
 * ran, every copy arrived identical, no row left threads behind, the reports were written). Never
 * a time: the figures live in docs/bench/ and come from the full commands ({@code novacron bench
 * transfer|shard|projection}). The migration and drain benches' machinery runs in LabMigrationIT,
 * LabFaultIT, DrainScaleTest and the e2e tests.
 */
class BenchSmokeIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theTransferBenchRunsEveryMethodOnEveryDataSetAndEveryCopyArrivesIdentical(@TempDir Path out)
      throws Exception {
    // The loopback profile goes through the counting proxy in this JVM: no namespaces, no shaping.
    TransferBench.main(new String[] {"--profiles=loopback", "--size=2m", "--runs=1", "--out=" + out,
        "--work=" + out.resolve("work")});

    JsonNode results = JSON.readTree(out.resolve("transfer.json").toFile()).get("results");
    List<String> methods = new ArrayList<>();
    results.forEach(r -> {
      assertThat(r.get("identical").asBoolean()).as(r.toString()).isTrue();
      assertThat(r.get("wireBytes").asLong()).as(r.toString()).isPositive();
      methods.add(r.get("method").asText());
    });
    // Four engine codecs on each of the four sets, four delta variants on the re-sync set (the
    // defaults, whose receiver picks 4 KiB blocks onto the base, then 64 KiB, 4 KiB and 4 KiB with
    // codec none), and "none" and "auto" again over mutual TLS (certificates made by make-certs.sh)
    // on each set.
    assertThat(methods.stream().filter(m -> m.startsWith("engine")).count()).isEqualTo(4 * 4 + 4 + 2 * 4);
    assertThat(methods).contains("engine none, TLS", "engine auto, TLS",
        "engine default (auto + delta, receiver's blocks)");
    assertThat(out.resolve("transfer.md")).isNotEmptyFile();
    assertThat(Files.readString(out.resolve("transfer.md"))).contains("2 connections").contains("## TLS cost");
  }

  @Test
  void theShardBenchShardsEveryLayoutAndItsReassemblyMatchesTheCheckpoint(@TempDir Path out) throws Exception {
    ShardBench.main(new String[] {"--out", out.toString(), "--dir", out.toString(), "--layers", "2",
        "--repeat", "1"});

    JsonNode target = JSON.readTree(out.resolve("shard.json").toFile()).get("targets").get(0);
    assertThat(target.get("runs")).hasSizeGreaterThanOrEqualTo(6);
    target.get("runs").forEach(r -> assertThat(r.get("bytesOut").asLong()).as(r.toString()).isPositive());
    JsonNode verify = target.get("verify");
    assertThat(verify.get("tensors").asInt()).isEqualTo(target.get("checkpoint").get("tensors").asInt());
    assertThat(verify.get("bytes").asLong()).isPositive();
    assertThat(out.resolve("shard.md")).isNotEmptyFile();
  }

  @Test
  void theProjectionBenchMeasuresItsRatesAndProjectsEveryScenario(@TempDir Path out) throws Exception {
    // One round of each measurement (SHA-256, the sharder, the engine over loopback), then the
    // arithmetic: nothing is given with --rates, so the measuring code runs too.
    ProjectionBench.main(new String[] {"--out", out.toString(), "--dir", out.toString(), "--rounds", "1"});

    JsonNode report = JSON.readTree(out.resolve("projection-405b.json").toFile());
    JsonNode rates = report.get("rates");
    for (String rate : List.of("sha256", "shard", "engine")) {
      assertThat(rates.get(rate).asDouble()).as(rate).isPositive();
    }
    assertThat(report.get("scenarios")).hasSize(2); // before issue 17, the code now
    report.get("scenarios").forEach(scenario -> {
      assertThat(scenario.get("stages")).as(scenario.get("name").asText()).isNotEmpty();
      assertThat(scenario.get("overlappedSeconds").asDouble()).isPositive()
          .isLessThanOrEqualTo(scenario.get("totalSeconds").asDouble());
    });
    assertThat(Files.readString(out.resolve("projection-405b.md"))).contains("| **total** |").contains("## Reading it");
    try (var left = Files.list(out)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("the work directory is removed")
          .noneMatch(name -> name.startsWith("novacron-projection"));
    }
  }
}
