package io.novacron.control.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.run.RunState;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The SQL spelling of "active" must follow the enum when a state is added. */
class RunStatesTest {
  @Test
  void theActiveConditionNamesExactlyTheStatesThatAreNotTerminal() {
    String[] active = Arrays.stream(RunState.values()).filter(s -> !s.isTerminal()).map(Enum::name)
        .toArray(String[]::new);
    String listed = RunStates.ACTIVE_SQL.substring(RunStates.ACTIVE_SQL.indexOf('(') + 1,
        RunStates.ACTIVE_SQL.lastIndexOf(')'));

    assertThat(Arrays.stream(listed.split(",")).map(s -> s.trim().replace("'", ""))).containsExactlyInAnyOrder(active);
    assertThat(active).contains("ATTENTION");
  }

  @Test
  void attentionIsActiveAndEndedOrUnknownStatesAreNot() {
    assertThat(RunStates.active("ATTENTION")).isTrue();
    assertThat(RunStates.active("QUEUED")).isTrue();
    assertThat(RunStates.active("SUCCEEDED")).isFalse();
    assertThat(RunStates.active("bogus")).isFalse();
  }
}
