package io.novacron.chaos;

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
import java.util.concurrent.TimeUnit;

/**
 * The product as an operator runs it, for the chaos matrix: {@code novacron up} without local
 * agents (a Temporal dev server and the control plane on embedded PostgreSQL, in a data directory
 * and on ports of its own) and the two-node lab with its agents ({@code novacron lab up --agents}).
 * Every process is killed by the pid file its launcher wrote, with SIGKILL, and restarted by the
 * same command that started it, so it comes back exactly as it was started.
 */
final class ChaosStack implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofMinutes(6);

  /** The processes a case can kill, each with the pid file its launcher keeps. */
  enum Process {
    CONTROL_PLANE, TEMPORAL, AGENT_A, AGENT_B, LIBVIRTD_A, LIBVIRTD_B
  }

  private final Path repo;
  private final Path data;
  private final Path lab;
  private final Map<String, String> env = new HashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String api;
  private String token;

  private ChaosStack(Path repo, Path data, Path lab) throws IOException {
    this.repo = repo;
    this.data = data;
    this.lab = lab;
    int httpPort = freePort();
    api = "http://127.0.0.1:" + httpPort;
    env.put("NOVACRON_DATA_DIR", data.toString());
    env.put("NOVACRON_HTTP_PORT", String.valueOf(httpPort));
    env.put("NOVACRON_TEMPORAL_PORT", String.valueOf(freePort()));
    env.put("NOVACRON_TEMPORAL_UI_PORT", String.valueOf(freePort()));
    env.put("NOVACRON_PG_PORT", String.valueOf(freePort()));
    env.put("NOVACRON_AGENTS", "none");
    env.put("NOVACRON_NO_INSTALL", "1");
    env.put("NOVACRON_NO_BUILD", "1");
    env.put("NOVACRON_LAB_DIR", lab.toString());
  }

  /** Starts everything and waits until both lab nodes have announced themselves. */
  static ChaosStack up(Path repo, Path work) throws Exception {
    Path data = work.resolve("data");
    Path lab = Path.of(System.getenv().getOrDefault("NOVACRON_LAB_DIR", "/var/lib/novacron/lab"));
    if (Files.exists(data)) {
      // A fresh stack each time: what an earlier run left (its Temporal history, its inventory)
      // must not answer for this one. Stopped first by the pid files it wrote.
      new ChaosStack(repo, data, lab).run(Duration.ofMinutes(2),
          List.of(repo.resolve("starter/bin/novacron").toString(), "down"));
      try (var files = Files.walk(data)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    ChaosStack stack = new ChaosStack(repo, data, lab);
    stack.startStack();
    stack.startLab();
    stack.token = Files.readString(data.resolve("admin-token")).strip();
    stack.awaitNodes();
    return stack;
  }

  String api() {
    return api;
  }

  Path lab() {
    return lab;
  }

  /** The node's directory in the lab: {@code <lab>/a/node} holds disks, consoles, states. */
  Path nodeData(String node) {
    return lab.resolve(node.substring("lab-".length())).resolve("node");
  }

  String labUri(String node) {
    return "qemu+unix:///system?socket=" + lab.resolve(node.substring("lab-".length()))
        .resolve("run/libvirt/libvirt-sock");
  }

  /** Kills the process with SIGKILL, as a crash or the OOM killer would; returns its pid. */
  long kill(Process process) throws Exception {
    long pid = Long.parseLong(Files.readString(pidFile(process)).strip());
    ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() ->
        new IllegalStateException(process + " (pid " + pid + ") does not run"));
    handle.destroyForcibly();
    handle.onExit().get(30, TimeUnit.SECONDS);
    return pid;
  }

  /** How long a killed process stays down before it is started again. */
  static final Duration DOWN_FOR = Duration.ofSeconds(3);

  /**
   * Kills the process, leaves it down for {@link #DOWN_FOR} and starts it again as it was started;
   * says so in a line for the report.
   */
  String killAndRestart(Process process) throws Exception {
    long pid = kill(process);
    Thread.sleep(DOWN_FOR.toMillis());
    restart(process);
    return "killed " + process.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " (pid " + pid
        + "), restarted";
  }

  /** Starts again what is not running, by the command that started it. */
  void restart(Process process) throws Exception {
    switch (process) {
      case CONTROL_PLANE, TEMPORAL -> startStack();
      default -> startLab();
    }
  }

  /** Whatever a case left stopped comes back: a case always starts on a whole stack. */
  void ensureUp() throws Exception {
    startStack();
    startLab();
  }

  private Path pidFile(Process process) {
    return switch (process) {
      case CONTROL_PLANE -> data.resolve("run/control-plane.pid");
      case TEMPORAL -> data.resolve("run/temporal.pid");
      case AGENT_A -> lab.resolve("run/agent-lab-a.pid");
      case AGENT_B -> lab.resolve("run/agent-lab-b.pid");
      case LIBVIRTD_A -> lab.resolve("a/libvirtd.pid");
      case LIBVIRTD_B -> lab.resolve("b/libvirtd.pid");
    };
  }

  private void startStack() throws Exception {
    Result up = run(START, List.of(repo.resolve("starter/bin/novacron").toString(), "up"));
    if (up.exitCode() != 0) {
      throw new IllegalStateException("novacron up failed:\n" + up.output());
    }
  }

  private void startLab() throws Exception {
    Result up = run(START, List.of(repo.resolve("starter/scripts/lab.sh").toString(), "up", "--agents"));
    if (up.exitCode() != 0) {
      throw new IllegalStateException("lab up --agents failed:\n" + up.output());
    }
  }

  /** Both lab nodes have announced themselves since this stack started (a reused data dir has old rows). */
  private void awaitNodes() throws Exception {
    java.time.Instant since = java.time.Instant.now().minusSeconds(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      JsonNode nodes = getOrNull("/api/v1/nodes");
      int fresh = 0;
      for (JsonNode node : nodes == null ? List.<JsonNode>of() : nodes) {
        String seen = node.path("hostSeenAt").asText("");
        if (List.of("lab-a", "lab-b").contains(node.path("name").asText()) && !seen.isEmpty()
            && java.time.Instant.parse(seen).isAfter(since)) {
          fresh++;
        }
      }
      if (fresh == 2) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("lab-a and lab-b did not announce themselves: " + nodes);
      }
      Thread.sleep(500);
    }
  }

  /** GET, or null while the control plane does not answer (restarting). */
  JsonNode getOrNull(String path) {
    try {
      HttpResponse<String> response = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** POST with a JSON body; the status and body. */
  HttpResponse<String> post(String path, Object body) throws IOException, InterruptedException {
    return http.send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** DELETE; the status and body. */
  HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return http.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token);
  }

  Result run(Duration timeout, List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    java.lang.Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not end within " + timeout);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  Result run(Duration timeout, String... command) throws Exception {
    return run(timeout, List.of(command));
  }

  record Result(int exitCode, String output) {}

  @Override
  public void close() throws Exception {
    run(Duration.ofMinutes(2), List.of(repo.resolve("starter/scripts/lab.sh").toString(), "down"));
    run(Duration.ofMinutes(2), List.of(repo.resolve("starter/bin/novacron").toString(), "down"));
  }

  /**
   * The run's history as {@code temporal workflow show -o json} prints it: the format replay tests
   * read, so that a case's run can become one (workflows/src/test/resources).
   */
  void saveHistory(String runId, Path file) throws Exception {
    Result show = run(Duration.ofSeconds(60), "temporal", "workflow", "show", "--address",
        "127.0.0.1:" + env.get("NOVACRON_TEMPORAL_PORT"), "--workflow-id", runId, "--output", "json");
    if (show.exitCode() == 0) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, show.output());
    }
  }

  /** The commands an operator would type to bring this stack up, for the report. */
  List<String> commands() {
    List<String> settings = new ArrayList<>();
    for (String key : List.of("NOVACRON_DATA_DIR", "NOVACRON_HTTP_PORT", "NOVACRON_TEMPORAL_PORT",
        "NOVACRON_AGENTS")) {
      settings.add(key + "=" + env.get(key));
    }
    String prefix = String.join(" ", settings) + " ";
    return List.of(prefix + "starter/bin/novacron up", prefix + "starter/bin/novacron lab up --agents");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
