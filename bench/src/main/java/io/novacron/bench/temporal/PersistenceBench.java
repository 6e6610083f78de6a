package io.novacron.bench.temporal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.novacron.runtime.TemporalConnection;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the Temporal dev server's persistence costs a workflow step ({@code novacron bench
 * temporal}): per mode, a workflow of {@code --steps} sequential activities run {@code --runs}
 * times against a fresh {@code temporal server start-dev}, with the server's fsync and fdatasync
 * calls counted by {@code strace -c} over the measured runs. Writes {@code temporal.md} and
 * {@code temporal.json}.
 *
 * <p>A step is one activity and the workflow task after it: what every phase of a NovaCron
 * workflow costs at least. The fsync count does not depend on the machine's load or disk; the
 * milliseconds do (each fsync costs what the disk takes to make a write durable).
 *
 * <p>Options: {@code --runs=10 --steps=20 --out=docs/bench --modes=memory,rollback,wal-full,wal-normal,wal-full-20rps}.
 */
public final class PersistenceBench {
  private static final String QUEUE = "persistence-bench";

  /** How the dev server keeps its state; also the migration bench's {@code --temporal}. */
  public enum Mode {
    MEMORY("memory", "in memory: lost when the server stops (no file)"),
    ROLLBACK("rollback", "SQLite file, rollback journal, synchronous=full (SQLite's default; NovaCron's before)"),
    WAL_FULL("wal-full", "SQLite file, write-ahead log, synchronous=full (NovaCron's: durable at every commit)"),
    WAL_NORMAL("wal-normal", "SQLite file, write-ahead log, synchronous=normal (survives a crash of the server,"
        + " not of the machine)"),
    WAL_FULL_20RPS("wal-full-20rps", "as wal-full, transfer queue read at Temporal's default of 20 a second"
        + " (NovaCron's before)");

    final String label;
    final String description;

    Mode(String label, String description) {
      this.label = label;
      this.description = description;
    }

    /**
     * The dev server's flags for this mode, its database (if any) in {@code dir}: the storage, and
     * the product's transfer-queue read rate ({@link TemporalDevServer#QUEUE_READS}) except in
     * {@link #WAL_FULL_20RPS}.
     */
    public List<String> serverArgs(Path dir) {
      List<String> args = new ArrayList<>();
      if (this != MEMORY) {
        args.addAll(List.of("--db-filename", dir.resolve("temporal.db").toString()));
      }
      if (this == WAL_FULL || this == WAL_FULL_20RPS) {
        args.addAll(TemporalDevServer.WAL_SYNCED);
      } else if (this == WAL_NORMAL) {
        args.addAll(List.of("--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal"));
      }
      if (this != WAL_FULL_20RPS) {
        args.addAll(TemporalDevServer.QUEUE_READS);
      }
      return args;
    }

    public String label() {
      return label;
    }

    public String description() {
      return description;
    }

    /** The mode of a label ({@code memory}, {@code rollback}, {@code wal-full}, {@code wal-normal}, {@code wal-full-20rps}). */
    public static Mode of(String label) {
      for (Mode m : values()) {
        if (m.label.equals(label)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown Temporal storage mode '" + label
          + "'; use memory, rollback, wal-full, wal-normal or wal-full-20rps");
    }
  }

  /** One activity: does nothing, so that the step is all orchestration and persistence. */
  @ActivityInterface
  public interface StepActivities {
    int step(int index);
  }

  public static final class NoWork implements StepActivities {
    @Override
    public int step(int index) {
      return index;
    }
  }

  @WorkflowInterface
  public interface StepsWorkflow {
    @WorkflowMethod
    int run(int steps);
  }

  /** {@code steps} activities one after the other, as a NovaCron workflow's phases are. */
  public static final class StepsWorkflowImpl implements StepsWorkflow {
    private final StepActivities activities = Workflow.newActivityStub(StepActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public int run(int steps) {
      int last = -1;
      for (int i = 0; i < steps; i++) {
        last = activities.step(i);
      }
      return last;
    }
  }

  /** What one mode measured. */
  record Result(String mode, String description, int runs, int steps, double msPerStepP50, double msPerStepMax,
      long fsyncs, double fsyncsPerStep, String loadBefore, String loadAfter) {}

  private PersistenceBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("options are --name=value, got '" + arg + "'");
      }
      options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    int runs = Integer.parseInt(options.getOrDefault("runs", "10"));
    int steps = Integer.parseInt(options.getOrDefault("steps", "20"));
    Path out = Path.of(options.getOrDefault("out", "docs/bench"));
    List<Mode> modes = new ArrayList<>();
    for (String label : options.getOrDefault("modes", "memory,rollback,wal-full,wal-normal,wal-full-20rps").split(",")) {
      modes.add(Mode.of(label.trim()));
    }
    if (runs < 1 || steps < 1) {
      throw new IllegalArgumentException("--runs and --steps must be at least 1");
    }
    List<Result> results = new ArrayList<>();
    for (Mode mode : modes) {
      Result r = measure(mode, runs, steps);
      System.out.printf(Locale.ROOT, "%-10s %6.1f ms per step (p50 of %d runs of %d steps), %5.1f fsyncs per step%n",
          mode.label, r.msPerStepP50(), runs, steps, r.fsyncsPerStep());
      results.add(r);
    }
    Files.createDirectories(out);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", "temporal");
    report.put("at", Instant.now().toString());
    report.put("cpus", Runtime.getRuntime().availableProcessors());
    report.put("temporal", firstLine("temporal", "--version"));
    report.put("results", results);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("temporal.json").toFile(), report);
    Files.writeString(out.resolve("temporal.md"), PersistenceReport.markdown(report, results));
    System.out.println("wrote " + out.resolve("temporal.md"));
  }

  private static Result measure(Mode mode, int runs, int steps) throws Exception {
    Path dir = Files.createTempDirectory("novacron-bench-temporal-");
    try (TemporalDevServer server = TemporalDevServer.start(dir, mode.serverArgs(dir))) {
      WorkflowServiceStubs stubs = TemporalConnection.stubs(server.address());
      WorkflowClient client = TemporalConnection.client(stubs, TemporalConnection.DEFAULT_NAMESPACE);
      WorkerFactory factory = WorkerFactory.newInstance(client);
      try {
        return measure(mode, runs, steps, server, client, factory, dir);
      } finally {
        // Workers before the server (the end of the try): their pollers would log its going away.
        factory.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        stubs.shutdownNow();
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static Result measure(Mode mode, int runs, int steps, TemporalDevServer server, WorkflowClient client,
      WorkerFactory factory, Path dir) throws Exception {
    var worker = factory.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(StepsWorkflowImpl.class);
    worker.registerActivitiesImplementations(new NoWork());
    factory.start();
    // Warm-up: JIT, connections and the server's caches are not what is measured.
    run(client, steps);
    String loadBefore = loadAverage();
    Path counts = dir.resolve("strace.txt");
    Path straceLog = dir.resolve("strace.log");
    Process strace = new ProcessBuilder("strace", "-f", "-c", "-e", "trace=fsync,fdatasync", "-o",
        counts.toString(), "-p", String.valueOf(server.pid())).redirectErrorStream(true)
        .redirectOutput(straceLog.toFile()).start();
    Thread.sleep(500); // strace attaches to every thread of the server before the runs start
    List<Double> perStep = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      run(client, steps);
      perStep.add((System.nanoTime() - t0) / 1e6 / steps);
    }
    strace.destroy(); // SIGTERM: strace detaches and writes its summary
    if (!strace.waitFor(10, TimeUnit.SECONDS)) {
      strace.destroyForcibly();
      throw new IllegalStateException("strace did not end; see " + straceLog);
    }
    // An empty summary means no call, but only if strace did attach (else it means nothing).
    if (!Files.readString(straceLog).contains("attached")) {
      throw new IllegalStateException("strace could not attach to the server: " + Files.readString(straceLog).strip());
    }
    long fsyncs = SyscallCounts.parse(Files.readString(counts), List.of("fsync", "fdatasync"));
    Collections.sort(perStep);
    return new Result(mode.label, mode.description, runs, steps, round(perStep.get(perStep.size() / 2)),
        round(perStep.get(perStep.size() - 1)), fsyncs, round((double) fsyncs / ((long) runs * steps)),
        loadBefore, loadAverage());
  }

  private static void run(WorkflowClient client, int steps) {
    StepsWorkflow workflow = client.newWorkflowStub(StepsWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(QUEUE).setWorkflowId("persistence-bench-" + UUID.randomUUID()).build());
    int last = workflow.run(steps);
    if (last != steps - 1) {
      throw new IllegalStateException("the workflow ended at step " + last + " of " + steps);
    }
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String firstLine(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return text.lines().findFirst().orElse("?");
    } catch (IOException | InterruptedException e) {
      return "?";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
