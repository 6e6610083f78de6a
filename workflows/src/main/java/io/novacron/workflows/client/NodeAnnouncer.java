package io.novacron.workflows.client;

import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.node.NodeWorkflow;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces a node agent's facts to its node's registration workflow at start and then at a fixed
 * interval, with signal-with-start: the first announcement creates the workflow, later ones signal
 * it. A failed announcement is logged and retried at the next tick; the agent keeps serving.
 *
 * @param <T> the announced record ({@code NodeFacts} or {@code GpuInventory})
 */
public final class NodeAnnouncer<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAnnouncer.class);

  private final WorkflowClient client;
  private final String node;
  private final Supplier<T> facts;
  private final BiConsumer<NodeWorkflow, T> signal;
  private final Duration interval;
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
