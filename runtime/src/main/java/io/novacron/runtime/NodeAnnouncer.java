package io.novacron.runtime;

import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.node.NodeWorkflow;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces a node agent's facts to its node's registration workflow at start and then at a fixed
 * interval, with signal-with-start: the first announcement creates the workflow, later ones signal
 * it. A failed announcement is logged and retried at the next tick; the agent keeps serving.
 * {@link #announceSoon()} adds one between ticks when something changed (a libvirt domain event),
 * so that the control plane hears of it in seconds.
 *
 * @param <T> the announced record ({@code NodeFacts} or {@code GpuInventory})
 */
public final class NodeAnnouncer<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAnnouncer.class);
  /** How long {@link #announceSoon()} waits for more changes to join the announcement. */
  public static final Duration SOON = Duration.ofSeconds(1);

  private final WorkflowClient client;
  private final String node;
  private final Supplier<T> facts;
  private final BiConsumer<NodeWorkflow, T> signal;
  private final Duration interval;
  /** Whether an early announcement is scheduled: a burst of changes makes one announcement. */
  private final AtomicBoolean soon = new AtomicBoolean();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-announcer");
        t.setDaemon(true);
        return t;
      });

  /**
   * @param signal which signal carries the facts, e.g. {@code NodeWorkflow::announceHost}
   */
  public NodeAnnouncer(
      WorkflowClient client, String node, Supplier<T> facts, BiConsumer<NodeWorkflow, T> signal,
      Duration interval) {
    this.client = client;
    this.node = node;
    this.facts = facts;
    this.signal = signal;
    this.interval = interval;
  }

  /** Announces now, then every interval. */
  public void start() {
    scheduler.scheduleWithFixedDelay(this::announceQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Announces within {@link #SOON} without waiting for the interval; calls while one is pending
   * add nothing (a guest's start is defined, started and resumed in a second). Never blocks.
   */
  public void announceSoon() {
    if (soon.compareAndSet(false, true)) {
      scheduler.schedule(() -> {
        soon.set(false);
        announceQuietly();
      }, SOON.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Announces once, throwing on failure. */
  public void announce() {
    T current = facts.get();
    NodeWorkflow workflow =
        client.newWorkflowStub(
            NodeWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(NodeWorkflow.workflowId(node))
                .setTaskQueue(TaskQueues.CONTROL)
                .build());
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(workflow::run, node);
    request.add(() -> signal.accept(workflow, current));
    client.signalWithStart(request);
  }

  private void announceQuietly() {
    try {
      announce();
    } catch (RuntimeException e) {
      log.warn("announcement of node {} failed, retrying in {}: {}", node, interval, e.toString());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
