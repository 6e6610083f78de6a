package io.novacron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code K=V} sets a label, {@code K-} removes it (kubectl-style), sent as a JSON merge patch to a labels URL. */
final class LabelPatch {
  private LabelPatch() {}

  /**
   * The merge patch of the terms.
   *
   * @throws IllegalArgumentException naming a term that is neither {@code K=V} nor {@code K-}
   */
  static Map<String, Object> of(List<String> terms) {
    Map<String, Object> patch = new LinkedHashMap<>();
    for (String term : terms) {
      int eq = term.indexOf('=');
      if (eq > 0) {
        patch.put(term.substring(0, eq), term.substring(eq + 1));
      } else if (term.endsWith("-") && term.length() > 1) {
        patch.put(term.substring(0, term.length() - 1), null);
      } else {
        throw new IllegalArgumentException("'" + term + "' is neither K=V (set a label) nor K- (remove one)");
      }
    }
    return patch;
  }

  /** PATCHes {@code path} and prints the labels it answers with; returns the exit status. */
  static int send(ApiClient client, Output output, PrintStream out, String path, Map<String, Object> patch)
      throws IOException, InterruptedException {
    var labels = ApiCommand.ok(client.patch(path, patch)).path("labels");
    if (!output.data(labels)) {
      out.println(labels.toPrettyString());
    }
    return ExitCodes.OK;
  }
}
