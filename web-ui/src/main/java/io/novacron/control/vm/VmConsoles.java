package io.novacron.control.vm;

import io.novacron.control.inventory.NodeRepository;
import io.novacron.control.inventory.NodeRow;
import io.novacron.control.inventory.VmRepository;
import io.novacron.control.inventory.VmRow;
import io.novacron.control.shared.ConflictException;
import io.novacron.control.shared.NotFoundException;
import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.console.ConsoleChunk;
import io.novacron.workflows.console.ConsoleReadRequest;
import io.novacron.workflows.console.ConsoleReadWorkflow;
import io.novacron.workflows.console.ConsoleRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Reads a VM's serial console log from its node: one ReadConsole workflow per read (see
 * {@link ConsoleReadWorkflow} for why a workflow). The REST API and the dashboard both read here,
 * so that they refuse the same things with the same words.
 */
@Service
public class VmConsoles implements DisposableBean {
  /** Longer than the read's own timeouts (5 s to start, 10 s to run, one retry): a backstop. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(40);

  private final VmRepository vms;
  private final NodeRepository nodes;
  private final WorkflowClient client;
  private final Clock clock;
  /**
   * The dashboard's reads run here, not under a session lock nor on the shared refresh thread: a
   * read waits up to seconds for a node that does not answer, and no other page may wait with it.
   */
  private final ExecutorService background = Executors.newFixedThreadPool(4, task -> {
    Thread thread = new Thread(task, "console-read");
    thread.setDaemon(true);
    return thread;
  });

  VmConsoles(VmRepository vms, NodeRepository nodes, WorkflowClient client, Clock clock) {
    this.vms = vms;
    this.nodes = nodes;
    this.client = client;
    this.clock = clock;
  }

  /**
   * Up to {@code maxBytes} (0 for the most, 64 KiB) of the VM's console log from {@code offset}
   * (negative: the last {@code -offset} bytes).
   *
   * @throws NotFoundException for a VM the inventory does not know
   * @throws ConflictException when the VM has no node, its node's host agent is stale, or the
   *     agent did not answer: the message says which and what to look at
   */
  public ConsoleText read(String vmName, long offset, int maxBytes) {
    VmRow vm = vms.findById(vmName).orElseThrow(
        () -> new NotFoundException("no VM named '" + vmName + "'; see GET /api/v1/vms"));
    String node = reachableNode(vm);
    ConsoleReadWorkflow read = client.newWorkflowStub(ConsoleReadWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.CONTROL)
        // Not a run: no run record, and an id of its own each time (reads are never deduplicated).
        .setWorkflowId("console-" + vmName + "-" + UUID.randomUUID().toString().substring(0, 8))
        .setWorkflowExecutionTimeout(READ_TIMEOUT)
        .build());
    try {
      ConsoleChunk chunk = read.read(new ConsoleReadRequest(node, new ConsoleRequest(vmName, offset, maxBytes)));
      return ConsoleText.of(vmName, node, chunk);
    } catch (WorkflowException e) {
      throw new ConflictException(timedOut(e)
          ? "the host agent of node '" + node + "' did not take the read within a few"
              + " seconds; is it running? (GET /api/v1/nodes shows when it last announced itself)"
          : "reading the console of '" + vmName + "' on node '" + node + "' failed: " + rootMessage(e));
    }
  }

  /** {@link #read}, on a background thread; the future fails with what {@code read} throws. */
  public CompletableFuture<ConsoleText> readLater(String vmName, long offset, int maxBytes) {
    return CompletableFuture.supplyAsync(() -> read(vmName, offset, maxBytes), background);
  }

  @Override
  public void destroy() {
    background.shutdownNow();
  }

  /** The VM's node, when its host agent is alive enough to be asked. */
  private String reachableNode(VmRow vm) {
    if (vm.node() == null) {
      throw new ConflictException("'" + vm.name() + "' has no node, so it has no console to read");
    }
    Optional<NodeRow> node = nodes.findById(vm.node());
    if (node.isEmpty() || node.get().hostStale(clock.instant())) {
      // Asking a dead agent would only wait out the read's timeout.
      throw new ConflictException("the host agent of node '" + vm.node() + "', where '" + vm.name()
          + "' is, is stale (last announced: " + node.map(NodeRow::hostSeenAt).map(String::valueOf).orElse("never")
          + "); its console can be read once the agent is back (GET /api/v1/nodes)");
    }
    return vm.node();
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof TimeoutFailure) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root instanceof TemporalFailure failure ? failure.getOriginalMessage() : root.getMessage();
  }
}
