package io.novacron.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Node maintenance on the real stack and the two-node lab (docs/lab.md): three guests on lab-a (one
 * dirtying its memory all the time) are drained to lab-b through a kill -9 of the control plane;
 * each ends on lab-b, exactly one running copy (virsh), moved once, and lab-a ends cordoned and
 * empty. Then lab-b is drained back and the drain is cancelled after its first move started: the
 * run ends CANCELLED, the started move ends by its own rules, no other move starts, and every guest
 * still runs exactly once.
 */
class DrainIT {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final Path WORK = Path.of("").toAbsolutePath().resolve("target/drain");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VMS = List.of("dr1", "dr2", "dr3");

  private static ChaosStack stack;
  private static LabView lab;
  private static RunWatch runs;

  @BeforeAll
  static void up() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the lab needs root");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/libvirtd")), "the lab needs libvirtd");
    assumeTrue(new ProcessBuilder("sh", "-c", "command -v temporal && command -v xorriso && command -v dnsmasq")
        .start().waitFor() == 0, "needs the temporal CLI, xorriso and dnsmasq");
    Files.createDirectories(WORK);
    stack = ChaosStack.up(REPO, WORK);
    lab = new LabView(stack);
    runs = new RunWatch(stack);
  }

  @AfterAll
  static void down() throws Exception {
    if (lab != null) {
      lab.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void a_drain_moves_every_guest_once_through_a_control_plane_crash_and_a_cancel_stops_starting_moves()
      throws Exception {
    // The third guest copies 16 MiB of memory around without pause: its live move must converge.
    for (String node : List.of("lab-a", "lab-b")) {
      dirtyImage(stack.nodeData(node).resolve("images"));
    }
    awaitImage("tiny-dirty");
    List<String> provisions = new ArrayList<>();
    for (String vm : VMS) {
      HttpResponse<String> created = stack.post("/api/v1/vms", Map.of("name", vm, "vcpus", 1, "memoryMib", 128,
          "diskGib", 1, "image", vm.equals("dr3") ? "tiny-dirty" : "tiny", "node", "lab-a"));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
      provisions.add(JSON.readTree(created.body()).get("runId").asText());
    }
    for (String runId : provisions) {
      JsonNode provisioned = runs.awaitEnd(runId);
      assertThat(RunWatch.state(provisioned)).as(provisioned.toString()).isEqualTo("SUCCEEDED");
    }

    HttpResponse<String> dry = stack.post("/api/v1/nodes/lab-a/drain", Map.of("dryRun", true));
    assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
    JsonNode plan = JSON.readTree(dry.body());
    assertThat(plan.get("moves").findValuesAsText("vm")).containsExactlyInAnyOrderElementsOf(VMS);
    assertThat(plan.get("moves").findValuesAsText("target")).containsOnly("lab-b");

    HttpResponse<String> drain = stack.post("/api/v1/nodes/lab-a/drain", Map.of("parallel", 2));
    assertThat(drain.statusCode()).as(drain.body()).isEqualTo(202);
    String drainRun = JSON.readTree(drain.body()).get("runId").asText();
    assertThat(awaitItem(drainRun, "moving")).as("a move started").isTrue();
    System.out.println("mid-drain: " + stack.killAndRestart(ChaosStack.Process.CONTROL_PLANE));

    JsonNode drained = runs.awaitEnd(drainRun);
    assertThat(RunWatch.state(drained)).as(drained.toString()).isEqualTo("SUCCEEDED");
    for (String vm : VMS) {
      assertThat(lab.runningOn(vm)).as(vm + ": exactly one running copy, on lab-b").containsExactly("lab-b");
      assertThat(lab.traces("lab-a", vm)).as(vm + ": nothing left on lab-a").isEmpty();
      assertThat(stack.getOrNull("/api/v1/vms/" + vm).get("node").asText()).isEqualTo("lab-b");
    }
    for (JsonNode item : drained.get("items")) {
      assertThat(item.get("state").asText()).as(item.toString()).isEqualTo("moved");
      assertThat(item.get("childRun").asText()).as("moved once: its first move run").endsWith("-" + item.get("item")
          .asText() + "-1");
    }
    assertThat(drained.get("items")).hasSize(3);
    assertThat(node("lab-a").get("cordon").asText()).contains(drainRun);

    // Back the other way, cancelled once the first move started (one at a time).
    assertThat(stack.post("/api/v1/nodes/lab-a/uncordon", Map.of()).statusCode()).isEqualTo(200);
    HttpResponse<String> back = stack.post("/api/v1/nodes/lab-b/drain", Map.of("parallel", 1));
    assertThat(back.statusCode()).as(back.body()).isEqualTo(202);
    String backRun = JSON.readTree(back.body()).get("runId").asText();
    assertThat(awaitItem(backRun, "moving")).as("a move started").isTrue();
    HttpResponse<String> cancel = stack.post("/api/v1/runs/" + backRun + "/cancel", Map.of());
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);

    JsonNode cancelled = runs.awaitEnd(backRun);
    assertThat(RunWatch.state(cancelled)).as(cancelled.toString()).isEqualTo("CANCELLED");
    List<JsonNode> items = new ArrayList<>();
    cancelled.get("items").forEach(items::add);
    assertThat(items).hasSize(3);
    assertThat(items.stream().filter(i -> i.path("childRun").isTextual())).as("one move started").hasSize(1);
    assertThat(items.stream().filter(i -> i.get("detail").asText().contains("not started: the run was cancelled")))
        .hasSize(2);
    for (String vm : VMS) {
      assertThat(lab.runningOn(vm)).as(vm + ": exactly one running copy").hasSize(1);
    }
    assertThat(node("lab-b").has("cordon")).as("a cancelled drain leaves its node cordoned").isTrue();

    assertThat(stack.post("/api/v1/nodes/lab-b/uncordon", Map.of()).statusCode()).isEqualTo(200);
    for (String vm : VMS) {
      HttpResponse<String> deleted = stack.delete("/api/v1/vms/" + vm);
      assertThat(RunWatch.state(runs.awaitEnd(JSON.readTree(deleted.body()).get("runId").asText())))
          .isEqualTo("SUCCEEDED");
    }
  }

  /** The tiny image with the guest's memory dirtier on (guest-image.sh: novacron.dirty_mib). */
  private static void dirtyImage(Path images) throws Exception {
    Path tiny = images.resolve("tiny");
    Path dirty = images.resolve("tiny-dirty");
    Files.createDirectories(dirty);
    try (Stream<Path> files = Files.list(tiny)) {
      for (Path file : files.toList()) {
        Files.copy(file, dirty.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.writeString(dirty.resolve("cmdline"), Files.readString(tiny.resolve("cmdline")).strip()
        + " novacron.dirty_mib=16\n");
  }

  private static JsonNode node(String name) {
    return stack.getOrNull("/api/v1/nodes/" + name);
  }

  /** Both lab nodes announce the image (each agent scans its library at every announcement). */
  private static void awaitImage(String image) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      int holding = 0;
      for (String node : List.of("lab-a", "lab-b")) {
        JsonNode row = node(node);
        if (row != null && List.of(row.path("images").asText().split(",")).contains(image)) {
          holding++;
        }
      }
      if (holding == 2) {
        return;
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError("the lab nodes did not announce image " + image);
  }

  /** An item of the run reached {@code state}; false when the run ended first. */
  private static boolean awaitItem(String runId, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      JsonNode run = stack.getOrNull("/api/v1/runs/" + runId);
      if (run != null) {
        for (JsonNode item : run.path("items")) {
          if (state.equals(item.path("state").asText())) {
            return true;
          }
        }
        if (RunWatch.ENDED.contains(run.path("state").asText())) {
          return false;
        }
      }
      Thread.sleep(100);
    }
    return false;
  }
}
