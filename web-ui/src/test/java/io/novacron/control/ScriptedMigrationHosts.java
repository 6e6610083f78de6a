package io.novacron.control;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.host.DomainStatus;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.migrate.CompletedJob;
import io.novacron.workflows.migrate.DomainProbe;
import io.novacron.workflows.migrate.MigrationActivities;
import io.novacron.workflows.migrate.MigrationOutcome;
import io.novacron.workflows.migrate.MigrationProgress;
import io.novacron.workflows.migrate.MigrationSource;
import io.novacron.workflows.migrate.MigrationTarget;
import io.novacron.workflows.migrate.RemoveCopyRequest;
import io.novacron.workflows.migrate.VmFiles;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stand-in host agents for a source and a target node whose live migration never converges on its
 * own: the monitor heartbeats progress samples (as the real monitor does) until the workflow
 * forwards a force-complete, then reports the switch-over. Lets the dashboard's progress bar and
 * Force complete button be driven without two libvirt hosts (the lab tests the real transfer).
 */
public final class ScriptedMigrationHosts implements AutoCloseable {
  static final long MEMORY = 256L << 20;

  private final WorkerFactory factory;
  private final AtomicBoolean forced = new AtomicBoolean();
  private final AtomicBoolean moved = new AtomicBoolean();

  public ScriptedMigrationHosts(WorkflowClient client, String source, String target) {
    factory = WorkerFactory.newInstance(client);
    factory.newWorker(TaskQueues.host(source)).registerActivitiesImplementations(sourceHost(), sourceMigration());
    factory.newWorker(TaskQueues.host(target)).registerActivitiesImplementations(targetHost(), targetMigration());
    factory.start();
  }

  /** Whether a force-complete reached the source agent. */
  public boolean forced() {
    return forced.get();
  }

  private HostActivities sourceHost() {
    HostActivities host = mock(HostActivities.class, withSettings().withoutAnnotations());
    when(host.status(anyString())).thenAnswer(call -> status(call.getArgument(0), !moved.get()));
    return host;
  }

  private HostActivities targetHost() {
    HostActivities host = mock(HostActivities.class, withSettings().withoutAnnotations());
    when(host.status(anyString())).thenAnswer(call -> status(call.getArgument(0), moved.get()));
    return host;
  }

  private MigrationActivities sourceMigration() {
    MigrationActivities migration = mock(MigrationActivities.class, withSettings().withoutAnnotations());
    when(migration.describeSource(anyString())).thenAnswer(call -> new MigrationSource(call.getArgument(0),
        "uuid-" + call.getArgument(0), "running", "<domain/>", "<cpu/>", "/source/disk.qcow2", 1L << 30, MEMORY));
    doAnswer(call -> {
      forced.set(true);
      return null;
    }).when(migration).forceComplete(anyString());
    when(migration.migrateLive(any())).thenAnswer(call -> {
      long start = System.currentTimeMillis();
      MigrationProgress last = null;
      for (long i = 1; !forced.get(); i++) {
        long processed = Math.min(MEMORY, i * (8L << 20));
        last = new MigrationProgress(System.currentTimeMillis() - start, processed, MEMORY - processed / 2,
            MEMORY + processed / 2, 4L << 20, i, 25.0, 9, false, false);
        Activity.getExecutionContext().heartbeat(last);
        Thread.sleep(300);
      }
      moved.set(true);
      return new MigrationOutcome(System.currentTimeMillis() - start, last, true);
    });
    when(migration.probe(anyString())).thenAnswer(call -> probe("source", call.getArgument(0), !moved.get()));
    when(migration.removeCopy(any())).thenAnswer(call ->
        probe("source", ((RemoveCopyRequest) call.getArgument(0)).vmName(), false));
    return migration;
  }

  private MigrationActivities targetMigration() {
    MigrationActivities migration = mock(MigrationActivities.class, withSettings().withoutAnnotations());
    when(migration.prepareTarget(any())).thenReturn(
        new MigrationTarget("/target/disk.qcow2", "<domain/>", "qemu+tcp://target/system", null));
    when(migration.completedJob(anyString())).thenReturn(new CompletedJob(42, MEMORY, 1000));
    when(migration.probe(anyString())).thenAnswer(call -> probe("target", call.getArgument(0), moved.get()));
    when(migration.removeCopy(any())).thenAnswer(call ->
        probe("target", ((RemoveCopyRequest) call.getArgument(0)).vmName(), false));
    return migration;
  }

  /** The stand-in VM runs on one node and leaves no files anywhere. */
  private static DomainProbe probe(String node, String vm, boolean running) {
    return new DomainProbe(node, vm, running ? "uuid-" + vm : null, running ? "running" : DomainProbe.ABSENT,
        running ? "migrated" : "", null, VmFiles.NONE);
  }

  private static DomainStatus status(String vm, boolean running) {
    return new DomainStatus(vm, "uuid-" + vm, running ? "running" : "absent", "test", null);
  }

  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(10, TimeUnit.SECONDS);
  }
}
