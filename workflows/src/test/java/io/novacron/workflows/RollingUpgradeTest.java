package io.novacron.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.NonDeterministicException;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rolling upgrade of docs/deploy.md ("Rolling upgrade"), played through: runs start on
 * workers of release N, those workers stop while the runs wait mid-way, workers of release N+1
 * whose workflow code changed take over, and every run completes. N+1 guards its change with
 * {@link Workflow#getVersion}: a run that began on N replays its history through N's path, a run
 * that begins on N+1 takes the new one. The same change without the guard breaks the replay of
 * N's history, which is what would strand the runs in flight.
 */
class RollingUpgradeTest {
  private static final String QUEUE = "rolling-upgrade-test";

  /** A run that does a step, waits for a signal (the upgrade happens meanwhile), then ends. */
  @WorkflowInterface
  public interface UpgradedWorkflow {
    /** The steps the run took, in order, space-separated. */
    @WorkflowMethod
    String run(String subject);

    @SignalMethod
    void proceed();
  }

  /** Each step is its own activity type, as the real workflows' steps are. */
  @ActivityInterface
  public interface Steps {
    void verify(String subject);

    void prepare(String subject);

    void finish(String subject);
  }

  /** Release N: prepare, wait, finish. */
  public static class ReleaseN implements UpgradedWorkflow {
    private final Steps steps = steps();
    private final List<String> taken = new ArrayList<>();
    private boolean proceed;

    @Override
    public String run(String subject) {
      steps.prepare(subject);
      taken.add("prepare");
      Workflow.await(() -> proceed);
      steps.finish(subject);
      taken.add("finish");
      return String.join(" ", taken);
    }

    @Override
    public void proceed() {
      proceed = true;
    }
  }

  /** Release N+1: a verify step before prepare, behind getVersion so that N's runs replay. */
  public static class ReleaseNPlus1 implements UpgradedWorkflow {
    private final Steps steps = steps();
    private final List<String> taken = new ArrayList<>();
    private boolean proceed;

    @Override
    public String run(String subject) {
      if (Workflow.getVersion("verify-first", Workflow.DEFAULT_VERSION, 1) >= 1) {
        steps.verify(subject);
        taken.add("verify");
      }
      steps.prepare(subject);
      taken.add("prepare");
      Workflow.await(() -> proceed);
      steps.finish(subject);
      taken.add("finish");
      return String.join(" ", taken);
    }

    @Override
    public void proceed() {
      proceed = true;
    }
  }

  /** Release N+1 as it must not be written: the same change without getVersion. */
  public static class ReleaseNPlus1Unguarded implements UpgradedWorkflow {
    private final Steps steps = steps();
    private boolean proceed;

    @Override
    public String run(String subject) {
      steps.verify(subject);
      steps.prepare(subject);
      Workflow.await(() -> proceed);
      steps.finish(subject);
      return "verify prepare finish";
    }

    @Override
    public void proceed() {
      proceed = true;
    }
  }

  private static Steps steps() {
    return Workflow.newActivityStub(Steps.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
  }

  /** Counts prepared subjects, so the test knows each run of N reached its wait. */
  static final class CountingSteps implements Steps {
    final ConcurrentHashMap<String, String> prepared = new ConcurrentHashMap<>();
    final CountDownLatch preparedLatch;

    CountingSteps(int expected) {
      preparedLatch = new CountDownLatch(expected);
    }

    @Override
    public void verify(String subject) {}

    @Override
    public void prepare(String subject) {
      if (prepared.put(subject, subject) == null) {
        preparedLatch.countDown();
      }
    }

    @Override
    public void finish(String subject) {}
  }

  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void runsInFlightOnReleaseNCompleteOnReleaseNPlus1() throws Exception {
    WorkflowClient client = env.getWorkflowClient();
    int inFlight = 5;
    CountingSteps stepsN = new CountingSteps(inFlight);
    WorkerFactory releaseN = worker(client, ReleaseN.class, stepsN);
    List<UpgradedWorkflow> old = new ArrayList<>();
    for (int i = 0; i < inFlight; i++) {
      old.add(start(client, "old-" + i));
    }
    assertThat(stepsN.preparedLatch.await(60, TimeUnit.SECONDS)).as("every run of N reached its wait").isTrue();

    // The upgrade: N's workers stop with the runs mid-way; N+1's start on the same queue.
    releaseN.shutdown();
    releaseN.awaitTermination(30, TimeUnit.SECONDS);
    WorkerFactory releaseNPlus1 = worker(client, ReleaseNPlus1.class, new CountingSteps(0));
    List<UpgradedWorkflow> fresh = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fresh.add(start(client, "new-" + i));
    }
    try {
      for (UpgradedWorkflow run : old) {
        run.proceed();
      }
      for (UpgradedWorkflow run : fresh) {
        run.proceed();
      }
      for (UpgradedWorkflow run : old) {
        assertThat(WorkflowStub.fromTyped(run).getResult(60, TimeUnit.SECONDS, String.class))
            .as("a run begun on N ends on N+1 through N's path").isEqualTo("prepare finish");
      }
      for (UpgradedWorkflow run : fresh) {
        assertThat(WorkflowStub.fromTyped(run).getResult(60, TimeUnit.SECONDS, String.class))
            .as("a run begun on N+1 takes the new step").isEqualTo("verify prepare finish");
      }
    } finally {
      releaseNPlus1.shutdown();
    }
  }

  @Test
  void releaseNHistoriesReplayOnGuardedNPlus1AndBreakOnUnguarded() throws Exception {
    WorkflowClient client = env.getWorkflowClient();
    WorkerFactory releaseN = worker(client, ReleaseN.class, new CountingSteps(1));
    UpgradedWorkflow run = start(client, "recorded");
    run.proceed();
    assertThat(WorkflowStub.fromTyped(run).getResult(60, TimeUnit.SECONDS, String.class)).isEqualTo("prepare finish");
    releaseN.shutdown();
    WorkflowExecutionHistory history = client.fetchHistory(WorkflowStub.fromTyped(run).getExecution().getWorkflowId());

    Replays.replay(history, ReleaseNPlus1.class);
    Throwable unguarded = catchThrowable(() -> Replays.replay(history,
        ReleaseNPlus1Unguarded.class));
    assertThat(unguarded).as("the unguarded change cannot replay N's run").isNotNull();
    assertThat(unguarded.toString()).contains(NonDeterministicException.class.getName());
  }

  private static WorkerFactory worker(WorkflowClient client, Class<? extends UpgradedWorkflow> release, Steps steps) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    // No sticky queue: a real server hands a stopped worker's runs back to the shared queue (on its
    // ShutdownWorker call, or when the sticky queue's 5 s schedule-to-start passes); the in-process
    // test server does neither, and would leave N's runs waiting for N's workers forever.
    Worker worker = factory.newWorker(QUEUE,
        WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ZERO).build());
    worker.registerWorkflowImplementationTypes(release);
    worker.registerActivitiesImplementations(steps);
    factory.start();
    return factory;
  }

  private static UpgradedWorkflow start(WorkflowClient client, String id) {
    UpgradedWorkflow run = client.newWorkflowStub(UpgradedWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build());
    WorkflowClient.start(run::run, id);
    return run;
  }
}
