package io.novacron.control.run;

import io.novacron.control.shared.InvalidRequestException;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.run.RunState;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The filters of a run list; a null filter matches every run.
 *
 * @param type a workflow type, e.g. {@code MigrateVm} (exact)
 * @param state a {@link RunState} name
 * @param subject what the run is about: a VM's name, a deployment's, a node's (exact)
 */
public record RunQuery(String type, String state, String subject) {
  /** Every run. */
  public static final RunQuery ALL = new RunQuery(null, null, null);

  /**
   * The filters from query parameters: blank is absent, the state in any case.
   *
   * @param stateParameter the parameter a bad state is reported under
   * @throws InvalidRequestException naming {@code stateParameter} when the state is no run state
   */
  public static RunQuery of(String type, String state, String subject, String stateParameter) {
    return new RunQuery(blankToNull(type), state(state, stateParameter), blankToNull(subject));
  }

  /** The same filters, narrowed to runs of {@code runType}. */
  public RunQuery ofType(String runType) {
    return new RunQuery(runType, state, subject);
  }

  private static String state(String text, String parameter) {
    String state = blankToNull(text);
    if (state == null) {
      return null;
    }
    String name = state.trim().toUpperCase(Locale.ROOT);
    if (Arrays.stream(RunState.values()).noneMatch(s -> s.name().equals(name))) {
      throw new InvalidRequestException(List.of(new FieldError(parameter, "'" + text + "' is not a run state; use one of "
          + Arrays.stream(RunState.values()).map(Enum::name).collect(Collectors.joining(", ")))));
    }
    return name;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }
}
