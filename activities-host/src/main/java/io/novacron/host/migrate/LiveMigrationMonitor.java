package io.novacron.host.migrate;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.migrate.Compression;
import io.novacron.workflows.migrate.LiveMigrationRequest;
import io.novacron.workflows.migrate.MigrationOptions;
import io.novacron.workflows.migrate.MigrationOutcome;
import io.novacron.workflows.migrate.MigrationPolicy;
import io.novacron.workflows.migrate.MigrationPolicy.Decision;
import io.novacron.workflows.migrate.MigrationProgress;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.libvirt.Domain;
import org.libvirt.Domain.DomainMigrateParameters;
import org.libvirt.Domain.MigrateFlags;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;
import org.libvirt.TypedIntParameter;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;
import org.libvirt.TypedUlongParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live migration: the blocking libvirt call on its own thread, and a fixed-interval monitor
 * loop on the activity's thread that samples the job, heartbeats the progress, and applies
 * {@link MigrationPolicy} (nova's {@code _live_migration_monitor} shape).
 */
final class LiveMigrationMonitor {
  private static final Logger log = LoggerFactory.getLogger(LiveMigrationMonitor.class);
  static final Duration INTERVAL = Duration.ofMillis(500);
  /** How often a re-attached monitor looks whether libvirt's job has ended. */
  private static final Duration JOB_POLL = Duration.ofMillis(200);
  private static final double MIB = 1024.0 * 1024;

  private final Domain domain;
  private final LiveMigrationRequest request;
  private final MigrationOptions options;
  private final MigrationTransport transport;
  private final java.time.Clock clock;
  private final ActivityExecutionContext context;
  private final io.novacron.host.libvirt.LibvirtNative natives;

  LiveMigrationMonitor(Domain domain, LiveMigrationRequest request, MigrationTransport transport,
      java.time.Clock clock, ActivityExecutionContext context, io.novacron.host.libvirt.LibvirtNative natives) {
    this.natives = natives;
    this.transport = transport;
    this.domain = domain;
    this.request = request;
    this.options = request.options().resolved();
    this.clock = clock;
    this.context = context;
  }

  /** Starts the migration and monitors it until it ends. */
  MigrationOutcome run() throws LibvirtException {
    return monitor(startMigration(), clock.millis());
  }

  /**
   * Monitors a migration job of the domain that libvirt already runs, started by an attempt of
   * this activity whose agent died (a peer-to-peer job runs in the source's libvirtd and does not
   * need us): nothing is started again. The job counts as succeeded once it ends with the domain
   * gone from this node, as failed when the domain still runs here.
   *
   * @param elapsedMs how long the job has run already, from its statistics
   */
  MigrationOutcome reattach(long elapsedMs) throws LibvirtException {
    log.info("re-attaching to the running migration of {} ({} ms old)", request.vmName(), elapsedMs);
    return monitor(watchJob(), clock.millis() - Math.max(0, elapsedMs));
  }

  private CompletableFuture<Integer> startMigration() {
    String vm = request.vmName();
    TypedParameter[] params = params();
    int flags = flags();
    log.info("migrating {} to {} (flags {}, {})", vm, request.targetUri(), flags, options);
    // Its own thread, not the common pool: on a 2-core host that pool has one thread, and
    // concurrent migrations would queue behind each other's blocking libvirt calls.
    return CompletableFuture.supplyAsync(() -> {
      try {
        return domain.migrateToURI(request.targetUri(), params, flags);
      } catch (LibvirtException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, task -> daemon("migrate-" + vm, task));
  }

  /** Completes when libvirt's job ends: normally when the domain has left this node. */
  private CompletableFuture<Integer> watchJob() {
    CompletableFuture<Integer> ended = new CompletableFuture<>();
    daemon("migration-watch-" + request.vmName(), () -> {
      try {
        while (true) {
          JobStats job = sample();
          if (job != null && job.active()) {
            Thread.sleep(JOB_POLL.toMillis());
            continue;
          }
          if (leftThisNode()) {
            ended.complete(0);
          } else {
            ended.completeExceptionally(new IllegalStateException("the migration job of "
                + request.vmName() + " ended while no agent watched it, and the domain still runs"
                + " on this node: it did not switch over"));
          }
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ended.completeExceptionally(e);
      } catch (RuntimeException e) {
        ended.completeExceptionally(e);
      }
    });
    return ended;
  }

  /** The domain is gone from this node, or no longer active here: the switch-over happened. */
  private boolean leftThisNode() {
    try {
      return domain.isActive() == 0;
    } catch (LibvirtException e) {
      return true; // undefined by the migration (UNDEFINE_SOURCE)
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  private MigrationOutcome monitor(CompletableFuture<Integer> call, long start) throws LibvirtException {
    String vm = request.vmName();
    MigrationPolicy.StallDetector stall = new MigrationPolicy.StallDetector(options.stallIterations());
    Duration timeout = null;
    boolean forced = false;
    java.util.List<MigrationPolicy.DowntimeStep> downtimeSteps = null;
    int downtimeStep = 0;
    boolean abortedByPolicy = false;
    MigrationProgress last = null;
    long lastProcessed = 0;
    long lastSampleAt = start;
    try {
      while (!await(call, INTERVAL)) {
        JobStats job = sample();
        if (job == null || !job.active()) {
          context.heartbeat(last);
          continue;
        }
        long now = clock.millis();
        long total = job.get("data_total");
        if (downtimeSteps == null && total > 0) {
          downtimeSteps = MigrationPolicy.downtimeSteps(options.maxDowntimeMs(), options.downtimeSteps(),
              options.downtimeDelaySecondsPerGiB(), total);
        }
        while (downtimeSteps != null && downtimeStep < downtimeSteps.size()
            && downtimeSteps.get(downtimeStep).afterMs() <= now - start) {
          long allowed = downtimeSteps.get(downtimeStep++).downtimeMs();
          domain.migrateSetMaxDowntime(allowed);
          log.info("{}: max downtime {} ms (step {} of {})", vm, allowed, downtimeStep, downtimeSteps.size());
        }
        if (timeout == null && total > 0) {
          timeout = MigrationPolicy.completionTimeout(total, options.completionTimeoutSecondsPerGiB());
        }
        long processed = Math.max(0, job.get("data_processed"));
        long remaining = job.get("data_remaining");
        long iteration = Math.max(0, job.get("memory_iteration"));
        double mibPerSec = now > lastSampleAt ? (processed - lastProcessed) / MIB * 1000.0 / (now - lastSampleAt) : 0;
        lastProcessed = processed;
        lastSampleAt = now;
        boolean stalled = iteration > 0 && stall.observe(iteration, remaining);
        long eta = mibPerSec > 0 && remaining >= 0 ? (long) Math.ceil(remaining / MIB / mibPerSec) : -1;
        last = new MigrationProgress(now - start, processed, remaining, total, job.dirtyRateBytesPerSec(),
            iteration, Math.round(mibPerSec * 10) / 10.0, eta, stalled, forced);
        context.heartbeat(last);

        Decision decision = MigrationPolicy.decide(Duration.ofMillis(now - start),
            timeout == null ? Duration.ofDays(1) : timeout, stalled, false, forced, options.onTimeout());
        if (decision == Decision.FORCE_COMPLETE && !forced) {
          forced = true;
          log.info("{}: {} after {} ms: forcing completion", vm, stalled ? "stalled" : "timed out", now - start);
          forceCompletion(domain, vm, options.postCopy(), natives);
        } else if (decision == Decision.ABORT) {
          abortedByPolicy = true;
          log.warn("{}: aborting migration ({} after {} ms, iteration {})", vm,
              stalled ? "stalled" : "past its completion timeout", now - start, iteration);
          abortQuietly();
          break;
        }
      }
      call.join();
      long elapsed = clock.millis() - start;
      log.info("migrated {} to {} in {} ms", vm, request.targetUri(), elapsed);
      return new MigrationOutcome(elapsed, last, forced);
    } catch (ActivityCanceledException cancelled) {
      // The run was cancelled: the job must not outlive the activity.
      log.warn("{}: migration cancelled, aborting the libvirt job", vm);
      abortQuietly();
      awaitQuietly(call);
      throw cancelled;
    } catch (ActivityCompletionException lost) {
      // Temporal no longer knows this attempt (its heartbeat timed out while the server or this
      // agent was away) or the worker shuts down: the job is left to libvirt, and the next attempt
      // re-attaches to it. Aborting here would throw away a migration that may be nearly done.
      log.warn("{}: this attempt of the migration activity is gone ({}); the libvirt job goes on",
          vm, lost.getClass().getSimpleName());
      throw lost;
    } catch (java.util.concurrent.CompletionException failed) {
      Throwable cause = failed.getCause() == null ? failed : failed.getCause();
      String type = abortedByPolicy ? FailureTypes.MIGRATION_TIMEOUT : FailureTypes.MIGRATION_FAILED;
      throw ApplicationFailure.newNonRetryableFailure(
          (abortedByPolicy ? "aborted by the migration policy (" + (last != null && last.stalled()
              ? "stalled after " + last.iteration() + " iterations" : "completion timeout " + timeout)
              + "): " : "libvirt failed the migration: ") + cause.getMessage(),
          type, last);
    } catch (RuntimeException | Error e) {
      abortQuietly();
      awaitQuietly(call);
      throw e;
    }
  }

  /** Typed parameters: where the domain goes and how it travels. */
  TypedParameter[] params() {
    List<TypedParameter> p = new ArrayList<>();
    if (request.destXml() != null) {
      p.add(new TypedStringParameter(DomainMigrateParameters.VIR_MIGRATE_PARAM_DEST_XML, request.destXml()));
      p.add(new TypedStringParameter(DomainMigrateParameters.VIR_MIGRATE_PARAM_PERSIST_XML, request.destXml()));
    }
    if (options.bandwidthMiBps() > 0) {
      p.add(new TypedUlongParameter(DomainMigrateParameters.VIR_MIGRATE_PARAM_BANDWIDTH, options.bandwidthMiBps()));
    }
    if (options.parallelConnections() > 1) {
      p.add(new TypedIntParameter(DomainMigrateParameters.VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS,
          options.parallelConnections()));
    }
    if (options.compression() == Compression.MT) {
      p.add(new TypedStringParameter(DomainMigrateParameters.VIR_MIGRATE_PARAM_COMPRESSION, "mt"));
    } else if (options.compression() == Compression.XBZRLE) {
      p.add(new TypedStringParameter(DomainMigrateParameters.VIR_MIGRATE_PARAM_COMPRESSION, "xbzrle"));
    }
    return p.toArray(TypedParameter[]::new);
  }

  int flags() {
    int flags = MigrateFlags.LIVE | MigrateFlags.PEER2PEER | MigrateFlags.PERSIST_DEST
        | MigrateFlags.UNDEFINE_SOURCE;
    if (request.copyStorage()) {
      // Disks are not shared: QEMU mirrors them into the volume the target made. UNSAFE because
      // the disks use the host page cache, which libvirt calls unsafe for a shared-storage move.
      // Incremental: the target holds the images below the top one already (pre-copy).
      flags |= (request.incrementalStorage() ? MigrateFlags.NON_SHARED_INC : MigrateFlags.NON_SHARED_DISK)
          | MigrateFlags.UNSAFE;
    }
    if (options.parallelConnections() > 1) {
      flags |= MigrateFlags.PARALLEL;
    }
    if (options.compression() != Compression.NONE) {
      flags |= MigrateFlags.COMPRESSED;
    }
    if (options.autoConverge()) {
      flags |= MigrateFlags.AUTO_CONVERGE;
    }
    if (options.postCopy()) {
      flags |= MigrateFlags.POSTCOPY;
    }
    // TLS is the node's setting, not the request's: it needs certificates the workflow cannot see.
    return flags | transport.flags();
  }

  private JobStats sample() {
    try {
      return JobStats.of(domain.getJobStats(0));
    } catch (LibvirtException e) {
      return null; // the domain may be gone from this host the moment the migration completes
    }
  }

  /**
   * Makes a running migration finish now, as nova does: switch to post-copy when the job allows it
   * (started with POSTCOPY), the guest then runs on the target at once and pulls the pages it
   * still lacks; otherwise, or when the switch is refused, pause the guest so that nothing is
   * re-dirtied and the rest copies in one pass.
   *
   * @return {@code post-copy} or {@code paused}, what was done
   */
  static String forceCompletion(Domain domain, String vm, boolean postCopy,
      io.novacron.host.libvirt.LibvirtNative natives) {
    if (postCopy) {
      try {
        natives.startPostCopy(vm);
        log.info("{}: switched to post-copy", vm);
        return "post-copy";
      } catch (java.io.IOException e) {
        log.warn("{}: post-copy refused ({}); pausing the guest instead", vm, e.getMessage());
      }
    }
    try {
      if (domain.getInfo().state == DomainState.VIR_DOMAIN_RUNNING) {
        domain.suspend();
      }
    } catch (LibvirtException e) {
      log.warn("could not pause {} to force completion: {}", vm, e.getMessage());
    }
    return "paused";
  }

  /** Tries to abort; a failing abort (the job just ended) is ignored, as nova does. */
  private void abortQuietly() {
    try {
      domain.abortJob();
    } catch (LibvirtException e) {
      log.info("abort of {}'s job: {}", request.vmName(), e.getMessage());
    }
  }

  private static boolean await(CompletableFuture<?> call, Duration interval) {
    try {
      call.get(interval.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true; // join() rethrows it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while migrating", e);
    }
  }

  private static void awaitQuietly(CompletableFuture<?> call) {
    try {
      call.get(60, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Only waiting for libvirt to give the domain back after the abort.
    }
  }
}
