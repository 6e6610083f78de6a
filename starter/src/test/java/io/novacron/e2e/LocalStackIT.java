package io.novacron.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole product on real parts, brought up by the README's own command ({@code bin/novacron up})
 * in a private data directory on private ports: a Temporal dev server, the control plane on embedded
 * PostgreSQL, a host agent on the machine's real libvirtd (QEMU, TCG) and a GPU agent. Guests are
 * the tiny kernel + busybox image and really boot. Every assertion about a guest asks libvirt
 * through {@code virsh}, a separate process.
 *
 * <p>Needs root, libvirtd and the Temporal CLI, which {@code bin/novacron test} installs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path LAUNCHER = ROOT.resolve("starter/bin/novacron");
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
  private static final String NODE = "e2e-" + SUFFIX;
  /** Every VM name a test used, for clean-up. */
  private static final List<String> VMS = new ArrayList<>();
  /** The VMs that were provisioned and must survive a restart. */
  private static final List<String> PROVISIONED = new ArrayList<>();

  private static Path data;
  private static int httpPort;
  private static int temporalPort;
  private static int temporalUiPort;
  private static int postgresPort;
  private static int transferPort;
  private static String api;
  /** The bootstrap admin token `up` had the control plane write. */
  private static String token;

  @BeforeAll
  static void up() throws Exception {
    data = Files.createTempDirectory("novacron-e2e-");
    // libvirt runs QEMU as an unprivileged user: it must reach the images under the data dir.
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    httpPort = freePort();
    temporalPort = freePort();
    temporalUiPort = freePort();
    postgresPort = freePort();
    transferPort = freePort();
    api = "http://127.0.0.1:" + httpPort;
    Result up = launcher(Duration.ofMinutes(6), "up");
    assertThat(up.exitCode()).as("novacron up:\n%s\nlogs:\n%s", up.output(), logs()).isZero();
    assertThat(up.output()).contains("drives qemu:///system").contains(api + "/")
        .contains(data.resolve("admin-password").toString()).contains(data.resolve("admin-token").toString());
    // The first up made the admin's password and the bootstrap token, readable by the owner only.
    for (String secret : List.of("admin-password", "admin-token")) {
      assertThat(Files.getPosixFilePermissions(data.resolve(secret))).as(secret)
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
    token = Files.readString(data.resolve("admin-token")).strip();
  }

  @AfterAll
  static void down() throws Exception {
    launcher(Duration.ofMinutes(2), "down");
    for (String vm : VMS) {
      run(Duration.ofSeconds(30), "virsh", "-c", "qemu:///system", "destroy", vm);
      run(Duration.ofSeconds(30), "virsh", "-c", "qemu:///system", "undefine", vm);
    }
    String pool = "novacron-" + NODE;
    run(Duration.ofSeconds(30), "virsh", "-c", "qemu:///system", "pool-destroy", pool);
    run(Duration.ofSeconds(30), "virsh", "-c", "qemu:///system", "pool-undefine", pool);
    run(Duration.ofSeconds(60), "rm", "-rf", data.toString());
  }

  @Test
  @Order(0)
  void theApiRefusesCallersWithoutAToken() throws Exception {
    HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/vms")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("Authorization: Bearer");
    Result cli = run(Duration.ofSeconds(60), Map.of("NOVACRON_TOKEN", "nct_wrong", "NOVACRON_API", api),
        List.of(LAUNCHER.toString(), "vm", "list"));
    assertThat(cli.exitCode()).as(cli.output()).isEqualTo(77);
    assertThat(cli.output()).contains("NOVACRON_TOKEN");
  }

  @Test
  @Order(1)
  void theNodeAnnouncesItselfWithItsLibvirtFacts() throws Exception {
    JsonNode node = find(getJson("/api/v1/nodes"), NODE);
    assertThat(node).as("node %s in %s", NODE, getJson("/api/v1/nodes")).isNotNull();
    assertThat(node.toString()).contains("qemu:///system").contains("tiny");
  }

  @Test
  @Order(2)
  void provisionsAGuestThroughRest() throws Exception {
    String vm = vmName("rest");
    HttpResponse<String> accepted = post("/api/v1/vms", spec(vm, NODE));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String runId = JSON.readTree(accepted.body()).get("runId").asText();

    JsonNode run = awaitEnd(runId);
    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(phases(run)).containsSubsequence("validate", "place", "prepare-storage", "define", "start",
        "verify", "record", "succeeded");
    assertGuestRuns(vm);
    assertThat(getJson("/api/v1/vms/" + vm).get("state").asText()).isEqualTo("running");
  }

  @Test
  @Order(3)
  void provisionsAGuestThroughTheTemporalCli() throws Exception {
    String vm = vmName("cli");
    String workflowId = "e2e-temporal-" + vm;
    Result started = run(Duration.ofSeconds(60), "temporal", "workflow", "start",
        "--address", "127.0.0.1:" + temporalPort,
        "--task-queue", "novacron.control", "--type", "ProvisionVm", "--workflow-id", workflowId,
        "--input", "{\"name\":\"" + vm + "\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,\"image\":\"tiny\"}");
    assertThat(started.exitCode()).as(started.output()).isZero();

    JsonNode run = awaitEnd(workflowId);
    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertGuestRuns(vm);
  }

  @Test
  @Order(4)
  void provisionsAGuestThroughTheNovacronCli() throws Exception {
    String vm = vmName("novacron");
    Result created = launcher(RUN_TIMEOUT, "vm", "create", "--name=" + vm, "--vcpus=1", "--memory-mib=128",
        "--disk-gib=1", "--image=tiny", "--node=" + NODE, "--network=default", "--watch");
    assertThat(created.exitCode()).as(created.output()).isZero();
    assertThat(created.output()).contains("SUCCEEDED");
    assertGuestRuns(vm);

    // up gave the node libvirt's NAT network; the guest's DHCP lease there reaches the API within
    // a few announcements (every 15 s), beside the MAC NovaCron assigned.
    assertThat(find(getJson("/api/v1/nodes"), NODE).path("networks").asText()).contains("default");
    JsonNode record = getJson("/api/v1/vms/" + vm);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!record.path("addresses").toString().contains("192.168.122.") && System.nanoTime() < deadline) {
      Thread.sleep(2_000);
      record = getJson("/api/v1/vms/" + vm);
    }
    assertThat(record.path("addresses").toString()).as("guest address from the default network's lease: %s", record)
        .contains("192.168.122.");
    assertThat(record.path("nics").toString()).contains("\"network\":\"default\"").containsPattern("52:54:[0-9a-f:]{11}");
  }

  @Test
  @Order(5)
  void stopsAndStartsARealGuest() throws Exception {
    String vm = PROVISIONED.get(PROVISIONED.size() - 1);
    // The busybox guest has no ACPI daemon: the grace period runs out and the agent powers it off.
    Result stopped = launcher(RUN_TIMEOUT, "vm", "stop", vm, "--grace-seconds=3", "--watch");
    assertThat(stopped.exitCode()).as(stopped.output()).isZero();
    assertThat(stopped.output()).contains("SUCCEEDED");
    assertThat(domstate(vm)).as("virsh domstate %s after stop", vm).contains("shut off");
    assertThat(getJson("/api/v1/vms/" + vm).get("state").asText()).isEqualTo("shutoff");

    Path console = data.resolve("node/consoles/" + vm + ".log");
    Files.writeString(console, ""); // the ready line below must come from this boot
    Result started = launcher(RUN_TIMEOUT, "vm", "start", vm, "--watch");
    assertThat(started.exitCode()).as(started.output()).isZero();
    assertThat(started.output()).contains("SUCCEEDED");
    assertGuestRuns(vm);
    assertThat(getJson("/api/v1/vms/" + vm).get("state").asText()).isEqualTo("running");
  }

  @Test
  @Order(6)
  void badInputIsRefusedNamingTheFieldAndLeavesNothingBehind() throws Exception {
    HttpResponse<String> invalid = post("/api/v1/vms",
        "{\"name\":\"ok-name\",\"vcpus\":1,\"memoryMib\":999999999,\"diskGib\":1,\"image\":\"tiny\"}");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.body()).contains("\"field\":\"memoryMib\"");

    HttpResponse<String> unknownNode = post("/api/v1/vms", spec(vmName("lost"), "no-such-node"));
    assertThat(unknownNode.statusCode()).isEqualTo(400);
    assertThat(unknownNode.body()).contains("\"field\":\"node\"").contains("not a known node");

    // The Temporal CLI bypasses the API's checks: the workflow itself must fail clearly and clean up.
    String vm = vmName("nowhere");
    String workflowId = "e2e-temporal-" + vm;
    Result started = run(Duration.ofSeconds(60), "temporal", "workflow", "start",
        "--address", "127.0.0.1:" + temporalPort,
        "--task-queue", "novacron.control", "--type", "ProvisionVm", "--workflow-id", workflowId,
        "--input", "{\"name\":\"" + vm + "\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,\"node\":\"no-such-node\"}");
    assertThat(started.exitCode()).as(started.output()).isZero();
    JsonNode run = awaitEnd(workflowId);
    assertThat(run.get("state").asText()).isEqualTo("FAILED");
    assertThat(run.get("detail").asText()).contains("node 'no-such-node' is not known");
    assertThat(domstate(vm)).as("no domain was defined").contains("failed to get domain");
    assertThat(get("/api/v1/vms/" + vm).statusCode()).isEqualTo(404);
    assertThat(Files.exists(data.resolve("node/disks/" + vm + ".qcow2"))).isFalse();
  }

  @Test
  @Order(7)
  void aRestartKeepsEveryRunAndVm() throws Exception {
    List<String> before = names(getJson("/api/v1/vms"));
    int runsBefore = getJson("/api/v1/runs?size=200").size();
    String password = Files.readString(data.resolve("admin-password"));
    assertThat(launcher(Duration.ofMinutes(2), "down").exitCode()).isZero();
    Result up = launcher(Duration.ofMinutes(6), "up");
    assertThat(up.exitCode()).as(up.output()).isZero();
    // A second up keeps the admin's password and the token: they still work.
    assertThat(Files.readString(data.resolve("admin-password"))).isEqualTo(password);
    assertThat(Files.readString(data.resolve("admin-token")).strip()).isEqualTo(token);
    assertThat(PROVISIONED).hasSize(3);
    assertThat(names(getJson("/api/v1/vms"))).containsAll(before).containsAll(PROVISIONED);
    assertThat(getJson("/api/v1/runs?size=200").size()).isEqualTo(runsBefore);
    for (String vm : PROVISIONED) {
      assertThat(domstate(vm)).as("guests outlive the agents").contains("running");
    }
  }

  /**
   * An admin who revokes the bootstrap token (good hygiene) can still restart the stack: `up` waits
   * on the node's announcement without a token, and says why the CLI now needs another one.
   */
  @Test
  @Order(8)
  void upWorksAfterTheBootstrapTokenIsRevoked() throws Exception {
    HttpResponse<String> created = post("/api/v1/tokens", "{\"name\":\"e2e-admin-" + SUFFIX + "\",\"role\":\"admin\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String bootstrap = token;
    long bootstrapId = -1;
    for (JsonNode t : getJson("/api/v1/tokens")) {
      if ("bootstrap".equals(t.get("name").asText()) && t.path("revokedAt").isMissingNode()) {
        bootstrapId = t.get("id").asLong();
      }
    }
    assertThat(bootstrapId).as("the bootstrap token is listed").isPositive();
    token = JSON.readTree(created.body()).get("token").asText();
    HttpResponse<String> revoked = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/tokens/" + bootstrapId))
        .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(revoked.statusCode()).isEqualTo(204);

    assertThat(launcher(Duration.ofMinutes(2), "down").exitCode()).isZero();
    Result up = launcher(Duration.ofMinutes(6), "up");
    assertThat(up.exitCode()).as("up after the revocation:\n%s", up.output()).isZero();
    assertThat(up.output()).contains("refuses the bootstrap token");
    assertThat(Files.readString(data.resolve("admin-token")).strip()).isEqualTo(bootstrap);
    // The CLI, which reads that file, is refused and says so; with a live token it works.
    Result refused = launcher(Duration.ofMinutes(1), "nodes");
    assertThat(refused.exitCode()).as(refused.output()).isEqualTo(77);
    assertThat(names(getJson("/api/v1/vms"))).containsAll(PROVISIONED);
  }

  // ------------------------------------------------------------------------------------------

  private static String vmName(String purpose) {
    String name = "e2e-" + purpose + "-" + SUFFIX;
    VMS.add(name);
    return name;
  }

  private static String spec(String vm, String node) {
    return "{\"name\":\"" + vm + "\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,\"image\":\"tiny\",\"node\":\""
        + node + "\"}";
  }

  private static void assertGuestRuns(String vm) throws Exception {
    if (!PROVISIONED.contains(vm)) {
      PROVISIONED.add(vm);
    }
    assertThat(domstate(vm)).as("virsh domstate %s", vm).contains("running");
    Path console = data.resolve("node/consoles/" + vm + ".log");
    assertThat(Files.readString(console, StandardCharsets.UTF_8)).as("the guest booted and printed its ready line")
        .contains("novacron-guest: up");
  }

  private static String domstate(String vm) throws Exception {
    return run(Duration.ofSeconds(30), "virsh", "-c", "qemu:///system", "domstate", vm).output();
  }

  private static JsonNode awaitEnd(String runId) throws Exception {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    JsonNode run = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = get("/api/v1/runs/" + runId);
      if (response.statusCode() == 200) {
        run = JSON.readTree(response.body());
        String state = run.get("state").asText();
        if (!state.equals("RUNNING")) {
          return run;
        }
      }
      Thread.sleep(1000);
    }
    return fail("run %s did not end within %s; last seen %s; logs:\n%s", runId, RUN_TIMEOUT, run, logs());
  }

  private static List<String> phases(JsonNode run) {
    List<String> phases = new ArrayList<>();
    run.get("timeline").forEach(event -> phases.add(event.get("phase").asText()));
    return phases;
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(item -> names.add(item.get("name").asText()));
    return names;
  }

  private static JsonNode find(JsonNode array, String name) {
    for (JsonNode item : array) {
      if (name.equals(item.get("name").asText())) {
        return item;
      }
    }
    return null;
  }

  private static JsonNode getJson(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token)
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(api + path))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String logs() {
    StringBuilder all = new StringBuilder();
    for (String name : List.of("control-plane", "host-agent", "gpu-agent", "temporal")) {
      Path log = data.resolve("logs/" + name + ".log");
      try {
        List<String> lines = Files.readAllLines(log);
        all.append("--- ").append(name).append(" (last 40 lines)\n");
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> all.append(l).append('\n'));
      } catch (IOException e) {
        all.append("--- ").append(name).append(": no log\n");
      }
    }
    return all.toString();
  }

  record Result(int exitCode, String output) {}

  private static Result launcher(Duration timeout, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(List.of(args));
    Map<String, String> env = new HashMap<>();
    env.put("NOVACRON_DATA_DIR", data.toString());
    env.put("NOVACRON_HTTP_PORT", String.valueOf(httpPort));
    env.put("NOVACRON_TEMPORAL_PORT", String.valueOf(temporalPort));
    env.put("NOVACRON_TEMPORAL_UI_PORT", String.valueOf(temporalUiPort));
    env.put("NOVACRON_PG_PORT", String.valueOf(postgresPort));
    env.put("NOVACRON_TRANSFER_PORT", String.valueOf(transferPort));
    env.put("NOVACRON_NODE", NODE);
    // The reactor has just built the jars and `novacron test` has installed what is missing.
    env.put("NOVACRON_NO_BUILD", "1");
    env.put("NOVACRON_NO_INSTALL", "1");
    return run(timeout, env, command);
  }

  private static Result run(Duration timeout, String... command) throws Exception {
    return run(timeout, Map.of(), List.of(command));
  }

  private static Result run(Duration timeout, Map<String, String> env, List<String> command) throws Exception {
    Path output = Files.createTempFile("novacron-e2e", ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return fail("%s did not finish within %s:\n%s", command, timeout, Files.readString(output));
      }
      return new Result(process.exitValue(), Files.readString(output));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
