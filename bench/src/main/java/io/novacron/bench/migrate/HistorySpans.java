package io.novacron.bench.migrate;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The activity and workflow tasks of a history as {@link PhaseBreakdown.Span}s (event times, epoch ms). */
final class HistorySpans {
  static final String WORKFLOW_TASK = "(workflow task)";

  private HistorySpans() {}

  static List<PhaseBreakdown.Span> of(WorkflowExecutionHistory history) {
    Map<Long, long[]> times = new LinkedHashMap<>(); // scheduled event id -> scheduled, started, closed
    Map<Long, String> types = new LinkedHashMap<>();
    for (HistoryEvent e : history.getEvents()) {
      long at = e.getEventTime().getSeconds() * 1000 + e.getEventTime().getNanos() / 1_000_000;
      switch (e.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
          types.put(e.getEventId(), e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
          times.put(e.getEventId(), new long[] {at, -1, -1});
        }
        case EVENT_TYPE_WORKFLOW_TASK_SCHEDULED -> {
          types.put(e.getEventId(), WORKFLOW_TASK);
          times.put(e.getEventId(), new long[] {at, -1, -1});
        }
        case EVENT_TYPE_ACTIVITY_TASK_STARTED -> set(times, e.getActivityTaskStartedEventAttributes().getScheduledEventId(), 1, at);
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> set(times, e.getActivityTaskCompletedEventAttributes().getScheduledEventId(), 2, at);
        case EVENT_TYPE_ACTIVITY_TASK_FAILED -> set(times, e.getActivityTaskFailedEventAttributes().getScheduledEventId(), 2, at);
        case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> set(times, e.getActivityTaskTimedOutEventAttributes().getScheduledEventId(), 2, at);
        case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> set(times, e.getActivityTaskCanceledEventAttributes().getScheduledEventId(), 2, at);
        case EVENT_TYPE_WORKFLOW_TASK_STARTED -> set(times, e.getWorkflowTaskStartedEventAttributes().getScheduledEventId(), 1, at);
        case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> set(times, e.getWorkflowTaskCompletedEventAttributes().getScheduledEventId(), 2, at);
        case EVENT_TYPE_WORKFLOW_TASK_FAILED -> set(times, e.getWorkflowTaskFailedEventAttributes().getScheduledEventId(), 2, at);
        case EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT -> set(times, e.getWorkflowTaskTimedOutEventAttributes().getScheduledEventId(), 2, at);
        default -> { }
      }
    }
    List<PhaseBreakdown.Span> spans = new ArrayList<>();
    times.forEach((id, t) -> spans.add(new PhaseBreakdown.Span(types.get(id), t[0], t[1], t[2])));
    return spans;
  }

  private static void set(Map<Long, long[]> times, long scheduledId, int index, long at) {
    long[] t = times.get(scheduledId);
    if (t != null) {
      t[index] = at;
    }
  }
}
