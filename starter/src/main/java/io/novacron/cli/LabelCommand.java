package io.novacron.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Parameters;

/**
 * {@code ... label NAME K=V... K-...}: one command for every resource with labels (VMs, nodes);
 * a subclass names the resource and its labels URL.
 */
abstract class LabelCommand extends ApiCommand {
  @Parameters(index = "1..*", arity = "1..*", paramLabel = "K=V|K-", description = "labels to set or remove")
  List<String> terms;

  /** The labels URL of the named resource, e.g. {@code /api/v1/vms/web1/labels}. */
  abstract String labelsPath();

  @Override
  int execute() throws IOException, InterruptedException {
    Map<String, Object> patch;
    try {
      patch = LabelPatch.of(terms);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    return LabelPatch.send(api(), output(), out(), labelsPath(), patch);
  }
}
