package io.novacron.workflows.run;

import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.verify;

import java.util.List;
import org.mockito.ArgumentCaptor;

/** What a workflow under test reported to a mocked {@link RunRecordActivities}, for assertions. */
public final class RecordedPhases {
  private RecordedPhases() {}

  /** Every phase change, in order; fails the test when there was none. */
  public static List<RunPhaseChange> changes(RunRecordActivities runs) {
    ArgumentCaptor<RunPhaseChange> captor = ArgumentCaptor.forClass(RunPhaseChange.class);
    verify(runs, atLeastOnce()).phase(captor.capture());
    return captor.getAllValues();
  }

  /** The phases' names, in order. */
  public static List<String> phases(RunRecordActivities runs) {
    return changes(runs).stream().map(RunPhaseChange::phase).toList();
  }

  /** The last phase change. */
  public static RunPhaseChange last(RunRecordActivities runs) {
    List<RunPhaseChange> all = changes(runs);
    return all.get(all.size() - 1);
  }
}
