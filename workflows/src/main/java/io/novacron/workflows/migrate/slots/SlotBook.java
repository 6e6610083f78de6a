package io.novacron.workflows.migrate.slots;

import java.util.ArrayList;
import java.util.List;

/**
 * Who holds a migration slot and who waits for one: the slot keeper's whole state, and the pure
 * decisions over it. Immutable; every change returns a new book. Also the keeper's input after
 * continue-as-new.
 *
 * <p>Grant order is first come, first served, except that a request whose source node is full
 * does not block later requests from other nodes (no head-of-line blocking): it keeps its place
 * and is granted first once its node has room.
 *
 * @param limits the limits in force
 * @param holders runs holding a slot, in grant order
 * @param queue runs waiting, in arrival order
 */
public record SlotBook(SlotLimits limits, List<SlotRequest> holders, List<SlotRequest> queue) {
  public SlotBook {
    holders = List.copyOf(holders);
    queue = List.copyOf(queue);
  }

  public static SlotBook empty(SlotLimits limits) {
    return new SlotBook(limits, List.of(), List.of());
  }

  /** Queues the request; a run that already holds or waits keeps its place (signals may repeat). */
  public SlotBook request(SlotRequest request) {
    SlotLimits newest = request.limits() == null ? limits : request.limits();
    if (holds(request.runId()) || waits(request.runId())) {
      return new SlotBook(newest, holders, queue);
    }
    List<SlotRequest> longer = new ArrayList<>(queue);
    longer.add(request);
    return new SlotBook(newest, holders, longer);
  }

  /** Frees the run's slot or drops it from the queue; unknown runs change nothing. */
  public SlotBook release(String runId) {
    return new SlotBook(limits,
        holders.stream().filter(r -> !r.runId().equals(runId)).toList(),
        queue.stream().filter(r -> !r.runId().equals(runId)).toList());
  }

  /** The book after granting every waiting request the limits allow, and those requests. */
  public Granted grant() {
    List<SlotRequest> held = new ArrayList<>(holders);
    List<SlotRequest> waiting = new ArrayList<>();
    List<SlotRequest> granted = new ArrayList<>();
    for (SlotRequest r : queue) {
      if (held.size() < limits.perCluster() && fromNode(held, r.sourceNode()) < limits.perSourceNode()) {
        held.add(r);
        granted.add(r);
      } else {
        waiting.add(r);
      }
    }
    return new Granted(new SlotBook(limits, held, waiting), granted);
  }

  public boolean holds(String runId) {
    return holders.stream().anyMatch(r -> r.runId().equals(runId));
  }

  public boolean waits(String runId) {
    return queue.stream().anyMatch(r -> r.runId().equals(runId));
  }

  /** Every run the book knows, holders first. */
  public List<String> runIds() {
    List<String> ids = new ArrayList<>();
    holders.forEach(r -> ids.add(r.runId()));
    queue.forEach(r -> ids.add(r.runId()));
    return ids;
  }

  private static long fromNode(List<SlotRequest> held, String node) {
    return held.stream().filter(r -> r.sourceNode().equals(node)).count();
  }

  /**
   * The outcome of {@link #grant()}.
   *
   * @param book the book afterwards
   * @param granted the requests that got a slot now, in grant order
   */
  public record Granted(SlotBook book, List<SlotRequest> granted) {}
}
