package io.novacron.workflows.image;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.Names;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunStatus;
import io.novacron.workflows.run.RunTracker;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;

/** Thin: the node's agent verifies and copies; this run records it. */
public class ImportImageWorkflowImpl implements ImportImageWorkflow {
  private RunTracker run;

  @Override
  public void importImage(ImageSource source) {
    run = new RunTracker(TYPE, source == null ? null : source.image(), RunTracker.json(source));
    if (source == null || source.kind() != ImageSource.Kind.IMPORT || source.node() == null
        || source.image() == null || !Names.IMAGE.matcher(source.image()).matches()) {
      String message = "source: an IMPORT source with an image name, a node and a path";
      run.finish(RunState.FAILED, message);
      throw ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_SPEC);
    }
    run.setNode(source.node());
    run.enter("import", source.path() + " on " + source.node());
    try {
      new ImageEnsurer().ensure(source.node(), source);
    } catch (ActivityFailure | ApplicationFailure e) {
      run.finish(RunState.FAILED, FailureReason.of(e));
      throw e;
    }
    run.finish(RunState.SUCCEEDED, "image " + source.image() + " is in " + source.node() + "'s library");
  }

  @Override
  public RunStatus status() {
    return run == null ? null : run.status();
  }
}
