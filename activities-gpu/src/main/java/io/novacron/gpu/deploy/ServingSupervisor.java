package io.novacron.gpu.deploy;

import io.novacron.workflows.model.deploy.CommandTemplate;
import io.novacron.workflows.model.deploy.LaunchRequest;
import io.novacron.workflows.model.deploy.ServingProcess;
import io.novacron.workflows.model.deploy.ShardFormat;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops a node's serving processes. Each process is recorded in a pid file under
 * {@code run/} (pid, start time, so a recycled pid is never taken for ours, and the revision that
 * started it), its output goes to
 * {@code logs/<deployment>.r<replica>.log}. Processes outlive an agent restart; the pid files let
 * the new agent find and stop them.
 */
public final class ServingSupervisor {
  static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(ServingSupervisor.class);

  private final Path runDir;
  private final Path logDir;
  private final Path dataDir;
  private final LoaderCommand loader;

  /** Another revision of the deployment runs here. */
  public static final class Busy extends IOException {
    Busy(String message) {
      super(message);
    }
  }

  /** What a pid file records. */
  private record Recorded(ProcessHandle handle, String revision) {}

  public ServingSupervisor(Path dataDir, LoaderCommand loader) throws IOException {
    this.dataDir = dataDir;
    this.runDir = Files.createDirectories(dataDir.resolve("run"));
    this.logDir = Files.createDirectories(dataDir.resolve("logs"));
    this.loader = loader;
  }

  /**
   * Starts the process for {@code request}, or returns the one of that deployment and replica that
   * is already running (a retried launch).
   */
  public synchronized ServingProcess launch(LaunchRequest request, Path dir, boolean gpuPresent) throws IOException {
    String key = key(request.deployment(), request.replica());
    Path pidFile = runDir.resolve(key + ".pid");
    Path logFile = logDir.resolve(key + ".log");
    Optional<Recorded> running = readPid(pidFile);
    int port = request.port() == 0 ? freePort() : request.port();
    if (running.isPresent()) {
      if (!request.revision().equals(running.get().revision())) {
        throw new Busy(request.node() + " already serves deployment '" + request.deployment() + "' for run "
            + running.get().revision() + " (pid " + running.get().handle().pid() + "); stop that run first");
      }
      Path portFile = runDir.resolve(key + ".port");
      int was = Files.exists(portFile) ? Integer.parseInt(Files.readString(portFile).trim()) : port;
      return describe(request, running.get().handle().pid(), was, logFile, List.of("(already running)"));
    }
    List<String> command = CommandTemplate.render(request.commandTemplate(), variables(request, dir, port));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dataDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    if (gpuPresent && !request.gpus().isEmpty()) {
      builder.environment().put("CUDA_VISIBLE_DEVICES", join(request.gpus()));
    }
    Process process = builder.start();
    ProcessHandle handle = process.toHandle();
    Files.writeString(pidFile, handle.pid() + " " + handle.info().startInstant().map(Object::toString).orElse("-")
        + " " + request.revision());
    Files.writeString(runDir.resolve(key + ".port"), Integer.toString(port));
    log.info("started {} replica {} as pid {} on port {}: {}", request.deployment(), request.replica(), handle.pid(),
        port, command);
    return describe(request, handle.pid(), port, logFile, command);
  }

  /** Whether {@code pid} is alive. */
  public boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The last {@code bytes} of a log file, for failure messages. */
  public static String tail(Path logFile, int bytes) {
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long start = Math.max(0, file.length() - bytes);
      byte[] buffer = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(buffer);
      return new String(buffer, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Stops the processes of {@code deployment} that {@code revision} started (all of them where it is
   * null): SIGTERM to each and its descendants, SIGKILL after {@link #STOP_GRACE}. Idempotent.
   *
   * @return processes that were running
   */
  public synchronized int stop(String deployment, String revision) throws IOException {
    List<Path> pidFiles;
    try (Stream<Path> files = Files.list(runDir)) {
      pidFiles = files.filter(p -> p.getFileName().toString().startsWith(deployment + ".r")
          && p.getFileName().toString().endsWith(".pid")).toList();
    }
    List<ProcessHandle> stopping = new ArrayList<>();
    List<Path> stopped = new ArrayList<>();
    for (Path pidFile : pidFiles) {
      Optional<Recorded> recorded = readPid(pidFile);
      if (recorded.isPresent() && revision != null && !revision.equals(recorded.get().revision())) {
        continue;
      }
      stopped.add(pidFile);
      recorded.ifPresent(r -> {
        r.handle().descendants().forEach(ProcessHandle::destroy);
        r.handle().destroy();
        stopping.add(r.handle());
      });
    }
    for (ProcessHandle handle : stopping) {
      try {
        handle.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
      }
      log.info("stopped {} (pid {})", deployment, handle.pid());
    }
    for (Path pidFile : stopped) {
      Files.deleteIfExists(pidFile);
      Files.deleteIfExists(Path.of(pidFile.toString().replaceAll("\\.pid$", ".port")));
    }
    return stopping.size();
  }

  private Map<String, String> variables(LaunchRequest r, Path dir, int port) {
    return variables(r, dir, port, loader);
  }

  /**
   * The template's values for one launch. Pure, so the commands each runtime and format get are
   * unit-tested: {@code {loadFormat}} is vLLM's {@code --load-format} for the files
   * ({@code sharded_state} for format {@code vllm-sharded-state}), {@code {format}} the reference
   * loader's.
   *
   * @throws IllegalArgumentException for format {@code vllm-sharded-state} with PP > 1, which
   *     vLLM's sharded_state loader cannot load (it names files by TP rank only)
   */
  static Map<String, String> variables(LaunchRequest r, Path dir, int port, LoaderCommand loader) {
    if (r.format() == ShardFormat.VLLM_SHARDED_STATE && r.pp() > 1) {
      throw new IllegalArgumentException("format " + r.format().label() + " cannot be served with PP " + r.pp()
          + ": vLLM's sharded_state loader reads files by TP rank only; deploy with format "
          + ShardFormat.NOVACRON.label());
    }
    Map<String, String> values = new HashMap<>();
    values.put("format", r.format().label());
    values.put("loadFormat", r.format().vllmLoadFormat());
    values.put("dir", dir.toString());
    values.put("port", Integer.toString(port));
    values.put("tp", Integer.toString(r.tp()));
    values.put("pp", Integer.toString(r.pp()));
    values.put("nnodes", Integer.toString(r.nnodes()));
    values.put("nodeRank", Integer.toString(r.nodeRank()));
    values.put("masterAddr", r.masterNode());
    values.put("masterPort", Integer.toString(r.masterPort()));
    values.put("headless", r.nodeRank() > 0 ? "--headless" : "");
    values.put("ranks", join(r.ranks()));
    values.put("gpus", join(r.gpus()));
    values.put("replica", Integer.toString(r.replica()));
    values.put("model", r.model());
    values.put("node", r.node());
    values.put("java", loader.java());
    values.put("loader", loader.loaderValue());
    return values;
  }

  private static ServingProcess describe(LaunchRequest r, long pid, int port, Path logFile, List<String> command) {
    String health = r.servesHealth() ? "http://127.0.0.1:" + port + "/health" : null;
    return new ServingProcess(r.deployment(), r.node(), r.replica(), r.runtime(), pid, port, logFile.toString(),
        command, health);
  }

  /** The live process a pid file names, if it is still the one we started, with its revision. */
  private static Optional<Recorded> readPid(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    String[] parts = Files.readString(pidFile).trim().split(" ");
    Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(parts[0])).filter(ProcessHandle::isAlive);
    if (handle.isPresent() && parts.length > 1 && !parts[1].equals("-")) {
      String started = handle.get().info().startInstant().map(Object::toString).orElse("-");
      if (!started.equals(parts[1])) {
        return Optional.empty();
      }
    }
    String revision = parts.length > 2 ? parts[2] : "";
    return handle.map(h -> new Recorded(h, revision));
  }

  private static String key(String deployment, int replica) {
    return deployment + ".r" + replica;
  }

  private static String join(List<Integer> values) {
    return String.join(",", values.stream().map(String::valueOf).toList());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
