package io.novacron.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The guest the matrix moves back and forth: a tiny VM provisioned through the REST API on lab-a,
 * whose disk gets 16 MiB of random data (so that its pre-copy and streams take seconds and a
 * broken copy shows) and a reference copy of that disk to compare every arrival against. The
 * guest itself never writes to its disk: it boots from an initramfs.
 */
final class ChaosGuest {
  static final String RANDOM_MIB = "16";

  final String name;
  final Path reference;

  private ChaosGuest(String name, Path reference) {
    this.name = name;
    this.reference = reference;
  }

  static ChaosGuest provision(ChaosStack stack, LabView lab, Path work) throws Exception {
    String name = "chaos-" + UUID.randomUUID().toString().substring(0, 6);
    String run = accepted(stack.post("/api/v1/vms", Map.of("name", name, "vcpus", 1, "memoryMib", 128,
        "diskGib", 1, "image", "tiny", "node", "lab-a")));
    expect(stack, run, "SUCCEEDED");
    expect(stack, accepted(stack.post("/api/v1/vms/" + name + "/stop", Map.of("graceSeconds", 0))), "SUCCEEDED");
    Path random = work.resolve(name + ".random");
    stack.run(Duration.ofSeconds(60), "sh", "-c", "head -c " + RANDOM_MIB + "M /dev/urandom > " + random);
    ChaosStack.Result write = stack.run(Duration.ofSeconds(60), "qemu-io", "-f", "qcow2", "-c",
        "write -s " + random + " 0 " + RANDOM_MIB + "M", lab.disk("lab-a", name).toString());
    if (write.exitCode() != 0) {
      throw new IllegalStateException("qemu-io could not fill the disk of " + name + ": " + write.output());
    }
    Files.deleteIfExists(random);
    Path reference = work.resolve(name + ".reference.qcow2");
    ChaosStack.Result copy = stack.run(Duration.ofSeconds(60), "qemu-img", "convert", "-O", "qcow2",
        lab.disk("lab-a", name).toString(), reference.toString());
    if (copy.exitCode() != 0) {
      throw new IllegalStateException("no reference copy of " + name + ": " + copy.output());
    }
    expect(stack, accepted(stack.post("/api/v1/vms/" + name + "/start", Map.of())), "SUCCEEDED");
    return new ChaosGuest(name, reference);
  }

  /** The run id of an accepted (202) request; anything else stops the case. */
  static String accepted(HttpResponse<String> response) throws Exception {
    if (response.statusCode() != 202) {
      throw new IllegalStateException("expected 202, got " + response.statusCode() + ": " + response.body());
    }
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("runId").asText();
  }

  /** Waits for the run to end and fails unless it ended in {@code state}. */
  static JsonNode expect(ChaosStack stack, String runId, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      JsonNode run = stack.getOrNull("/api/v1/runs/" + runId);
      if (run != null && List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(run.get("state").asText())) {
        if (!state.equals(run.get("state").asText())) {
          throw new IllegalStateException("run " + runId + " ended " + run.get("state").asText() + ": " + run.get("detail"));
        }
        return run;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("run " + runId + " did not end within 5 min");
  }
}
