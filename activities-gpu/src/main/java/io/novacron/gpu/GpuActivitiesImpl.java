package io.novacron.gpu;

import io.novacron.gpu.deploy.AgentPaths;
import io.novacron.gpu.deploy.ParallelDigests;
import io.novacron.gpu.deploy.GpuFit;
import io.novacron.gpu.deploy.HealthWaiter;
import io.novacron.gpu.deploy.ManifestVerifier;
import io.novacron.gpu.deploy.ServingSupervisor;
import io.novacron.gpu.deploy.VllmShardFiles;
import io.novacron.checkpoint.CheckpointException;
import io.novacron.checkpoint.CheckpointInspection;
import io.novacron.checkpoint.CheckpointInspector;
import io.novacron.checkpoint.CheckpointSharder;
import io.novacron.checkpoint.ShardLayout;
import io.novacron.checkpoint.ShardManifest;
import io.novacron.checkpoint.VllmShardedStateWriter;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.model.deploy.GpuActivities;
import io.novacron.workflows.model.deploy.CheckpointSummary;
import io.novacron.workflows.model.deploy.GpuCheck;
import io.novacron.workflows.model.deploy.LaunchRequest;
import io.novacron.workflows.model.deploy.ServingProcess;
import io.novacron.workflows.model.deploy.ShardFileRef;
import io.novacron.workflows.model.deploy.ShardFormat;
import io.novacron.workflows.model.deploy.ShardRequest;
import io.novacron.workflows.model.deploy.ShardSet;
import io.novacron.workflows.node.GpuInventory;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The GPU agent's activities. Bad paths and layouts become InvalidSpec, unreadable checkpoints
 * CheckpointInvalid, mismatched shards ShardVerifyFailed (all non-retryable); other I/O failures
 * are retried by Temporal.
 */
public class GpuActivitiesImpl implements GpuActivities {
  /** Heartbeat at most this often from byte-counting loops; Temporal throttles further. */
  private static final long HEARTBEAT_NANOS = 1_000_000_000L;

  private final NvidiaSmiInventory inventory;
  private final AgentPaths paths;
  private final ServingSupervisor supervisor;
  private final HealthWaiter health;

  public GpuActivitiesImpl(NvidiaSmiInventory inventory, AgentPaths paths, ServingSupervisor supervisor) {
    this.inventory = inventory;
    this.paths = paths;
    this.supervisor = supervisor;
    this.health = new HealthWaiter(supervisor);
  }

  @Override
  public GpuInventory inventory() {
    return inventory.read();
  }

  @Override
  public CheckpointSummary inspectCheckpoint(String checkpoint) {
    CheckpointInspection inspection = inspect(checkpoint);
    return new CheckpointSummary(inspection.directory().toString(), inspection.config().shape(),
        inspection.config().weightDtype().label(), inspection.totalBytes(), inspection.tensors().size());
  }

  @Override
  public ShardSet shardCheckpoint(ShardRequest request) {
    long start = System.nanoTime();
    CheckpointInspection inspection = inspect(request.checkpoint());
    String dir = "shards/" + request.deployment();
    Path out = data(dir);
    Throttled beat = new Throttled();
    if (request.format() == ShardFormat.VLLM_SHARDED_STATE) {
      return new ShardSet(dir, writeVllmShardedState(request, inspection, out, beat),
          (System.nanoTime() - start) / 1e9);
    }
    ShardManifest manifest;
    try {
      ShardLayout layout = new ShardLayout(request.tp(), request.stages());
      manifest = CheckpointSharder.shard(inspection, layout, out,
          (done, total, tensor) -> beat.beat("sharding " + done + "/" + total + " bytes"));
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure("the plan's layout does not suit the checkpoint: "
          + e.getMessage(), FailureTypes.INVALID_SPEC);
    } catch (CheckpointException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.CHECKPOINT_INVALID);
    } catch (IOException e) {
      throw Activity.wrap(e);
    }
    // The sharder hashed each rank file as it wrote it; only the two small files are read again.
    List<ShardFileRef> files = new ArrayList<>();
    for (ShardManifest.ShardFile file : manifest.files()) {
      files.add(new ShardFileRef(file.file(), file.rank(), file.bytes(), file.sha256()));
    }
    try {
      files.addAll(refs(out, List.of(ShardManifest.FILE_NAME, CheckpointInspector.CONFIG),
          List.of(ShardFileRef.EVERY_RANK, ShardFileRef.EVERY_RANK), beat));
      return new ShardSet(dir, files, (System.nanoTime() - start) / 1e9);
    } catch (IOException e) {
      throw Activity.wrap(e);
    }
  }

  /** The shard set's entries for {@code names} in {@code out}, with their ranks; files hashed in parallel. */
  private static List<ShardFileRef> refs(Path out, List<String> names, List<Integer> ranks, Throttled beat)
      throws IOException {
    List<String> digests = ParallelDigests.sha256(names.stream().map(out::resolve).toList(),
        done -> beat.beat("hashing the shard set: " + done + " bytes"));
    List<ShardFileRef> files = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      files.add(new ShardFileRef(names.get(i), ranks.get(i), Files.size(out.resolve(names.get(i))), digests.get(i)));
    }
    return files;
  }

  /**
   * vLLM's layout into an emptied {@code out}: a file left from an earlier revision in the other
   * format (a manifest, NovaCron rank files) would otherwise be listed and sent. The rank files
   * carry their TP rank; everything else (config, tokenizer) goes to every node.
   */
  private List<ShardFileRef> writeVllmShardedState(ShardRequest request, CheckpointInspection inspection, Path out,
      Throttled beat) {
    String format = ShardFormat.VLLM_SHARDED_STATE.label();
    if (request.stages().size() != 1) {
      throw ApplicationFailure.newNonRetryableFailure("format " + format + " holds one pipeline stage only"
          + " (vLLM's sharded_state loader reads files by TP rank), the plan has " + request.stages().size()
          + "; use format " + ShardFormat.NOVACRON.label(), FailureTypes.INVALID_SPEC);
    }
    List<ShardFileRef> files = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Integer> rankOfName = new ArrayList<>();
    try {
      emptyDirectory(out);
      VllmShardedStateWriter.Written ranks = VllmShardedStateWriter.write(inspection, request.tp(), out,
          (done, total, tensor) -> beat.beat("writing " + format + " " + done + "/" + total + " bytes"));
      // The rank files were hashed as they were written; only the other files are read again.
      Set<String> rankNames = new TreeSet<>();
      for (int rank = 0; rank < ranks.files().size(); rank++) {
        Path file = ranks.files().get(rank);
        rankNames.add(file.getFileName().toString());
        files.add(new ShardFileRef(file.getFileName().toString(), rank, Files.size(file), ranks.sha256().get(rank)));
      }
      try (var listing = Files.list(out)) {
        for (Path file : listing.sorted().toList()) {
          String name = file.getFileName().toString();
          if (Files.isRegularFile(file) && !rankNames.contains(name)) {
            names.add(name);
            rankOfName.add(ShardFileRef.EVERY_RANK);
          }
        }
      }
      files.addAll(refs(out, names, rankOfName, beat));
      return files;
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure("format " + format + " cannot hold this checkpoint at TP "
          + request.tp() + ": " + e.getMessage(), FailureTypes.INVALID_SPEC);
    } catch (CheckpointException e) {
      throw ApplicationFailure.newNonRetryableFailure("format " + format + ": " + e.getMessage(),
          FailureTypes.CHECKPOINT_INVALID);
    } catch (IOException e) {
      throw Activity.wrap(e);
    }
  }

  /** Removes the regular files directly in {@code dir} (creating it if absent). */
  private static void emptyDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (var listing = Files.list(dir)) {
      for (Path file : listing.toList()) {
        if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(file);
        }
      }
    }
  }

  @Override
  public List<String> unchangedFiles(String dir, List<ShardFileRef> files) {
    Path base = data(dir);
    Throttled beat = new Throttled();
    List<String> same = new ArrayList<>();
    try {
      List<ShardFileRef> candidates = new ArrayList<>();
      for (ShardFileRef file : files) {
        Path path = base.resolve(file.file());
        if (Files.isRegularFile(path) && Files.size(path) == file.bytes()) {
          candidates.add(file);
        }
      }
      List<String> digests = ParallelDigests.sha256(candidates.stream().map(f -> base.resolve(f.file())).toList(),
          done -> beat.beat("hashing what is here: " + done + " bytes"));
      for (int i = 0; i < candidates.size(); i++) {
        if (digests.get(i).equals(candidates.get(i).sha256())) {
          same.add(candidates.get(i).file());
        }
      }
    } catch (IOException e) {
      throw Activity.wrap(e);
    }
    return same;
  }

  @Override
  public long verifyShards(String dir, List<ShardFileRef> files, ShardFormat format) {
    Path base = data(dir);
    Throttled beat = new Throttled();
    try {
      for (ShardFileRef file : files) {
        requireReceived(base, file);
      }
      List<String> digests = ParallelDigests.sha256(files.stream().map(f -> base.resolve(f.file())).toList(),
          done -> beat.beat("verifying: " + done + " bytes"));
      for (int i = 0; i < files.size(); i++) {
        ShardFileRef file = files.get(i);
        String actual = digests.get(i);
        if (!actual.equals(file.sha256())) {
          throw ApplicationFailure.newNonRetryableFailure(base.resolve(file.file()) + ": SHA-256 " + actual
              + ", the shard set says " + file.sha256(), FailureTypes.SHARD_VERIFY_FAILED);
        }
      }
      if (format == ShardFormat.VLLM_SHARDED_STATE) {
        VllmShardFiles.check(base, ranksOf(files));
      } else {
        ManifestVerifier.verify(base, ranksOf(files), ManifestVerifier.ChunkSink.NONE,
            done -> beat.beat("checking pieces: " + done + " bytes"));
      }
    } catch (CheckpointException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.SHARD_VERIFY_FAILED);
    } catch (IOException e) {
      throw Activity.wrap(e);
    }
    return bytesOf(files);
  }

  /** The ranks the shard set's files belong to (a file every rank reads belongs to none). */
  private static Set<Integer> ranksOf(List<ShardFileRef> files) {
    Set<Integer> ranks = new TreeSet<>();
    for (ShardFileRef file : files) {
      if (file.rank() != ShardFileRef.EVERY_RANK) {
        ranks.add(file.rank());
      }
    }
    return ranks;
  }

  private static long bytesOf(List<ShardFileRef> files) {
    return files.stream().mapToLong(ShardFileRef::bytes).sum();
  }

  /** The received file's path; a non-retryable SHARD_VERIFY_FAILED when it is not there. */
  private static Path requireReceived(Path base, ShardFileRef file) {
    Path path = base.resolve(file.file());
    if (!Files.isRegularFile(path)) {
      throw ApplicationFailure.newNonRetryableFailure(path + " is missing after the transfer",
          FailureTypes.SHARD_VERIFY_FAILED);
    }
    return path;
  }

  @Override
  public long checkShards(String dir, List<ShardFileRef> files, ShardFormat format) {
    Path base = data(dir);
    try {
      for (ShardFileRef file : files) {
        Path path = requireReceived(base, file);
        long size = Files.size(path);
        if (size != file.bytes()) {
          throw ApplicationFailure.newNonRetryableFailure(path + ": " + size + " bytes, the shard set says "
              + file.bytes() + "; deploy again to resend it", FailureTypes.SHARD_VERIFY_FAILED);
        }
      }
      if (format == ShardFormat.VLLM_SHARDED_STATE) {
        VllmShardFiles.check(base, ranksOf(files));
      } else {
        ManifestVerifier.checkLayout(base, ranksOf(files));
      }
    } catch (CheckpointException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.SHARD_VERIFY_FAILED);
    } catch (IOException e) {
      throw Activity.wrap(e);
    }
    return bytesOf(files);
  }

  @Override
  public GpuCheck checkGpus(LaunchRequest request) {
    try {
      return GpuFit.check(inventory.read(), request);
    } catch (GpuFit.Unavailable e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.GPU_UNAVAILABLE);
    }
  }

  @Override
  public ServingProcess launch(LaunchRequest request) {
    Path dir = data(request.dir());
    try {
      return supervisor.launch(request, dir, !inventory.read().gpus().isEmpty());
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.INVALID_SPEC);
    } catch (ServingSupervisor.Busy e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.DEPLOYMENT_BUSY);
    } catch (IOException e) {
      // The executable is missing or not runnable: retrying will not change that.
      throw ApplicationFailure.newNonRetryableFailure("could not start " + request.runtime() + " on "
          + request.node() + ": " + e.getMessage(), FailureTypes.SERVING_FAILED);
    }
  }

  @Override
  public ServingProcess awaitReady(ServingProcess process, int timeoutSeconds) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    try {
      health.await(process, Duration.ofSeconds(timeoutSeconds), context::heartbeat);
      return process;
    } catch (HealthWaiter.NotReady e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.SERVING_FAILED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }

  @Override
  public int stopServing(String deployment, String revision) {
    try {
      return supervisor.stop(deployment, revision);
    } catch (IOException e) {
      throw Activity.wrap(e);
    }
  }

  private CheckpointInspection inspect(String checkpoint) {
    try {
      return CheckpointInspector.inspect(paths.checkpoint(checkpoint));
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.INVALID_SPEC);
    } catch (CheckpointException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.CHECKPOINT_INVALID);
    } catch (IOException e) {
      throw Activity.wrap(e);
    }
  }

  private Path data(String relative) {
    try {
      return paths.inData(relative);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.INVALID_SPEC);
    }
  }

  /** Heartbeats at most once a second, and only inside an activity (tests call the methods directly too). */
  private static final class Throttled {
    private final ActivityExecutionContext context = contextOrNull();
    private long last;

    synchronized void beat(String detail) {
      long now = System.nanoTime();
      if (context != null && now - last > HEARTBEAT_NANOS) {
        last = now;
        context.heartbeat(detail);
      }
    }

    private static ActivityExecutionContext contextOrNull() {
      try {
        return Activity.getExecutionContext();
      } catch (IllegalStateException e) {
        return null;
      }
    }
  }
}
