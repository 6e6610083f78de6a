package io.novacron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code K=V} sets a label, {@code K-} removes it (kubectl-style), sent as a JSON merge patch to a labels URL. */
final class LabelPatch {
  private LabelPatch() {}

  /** PATCHes {@code path} with the terms and prints the labels it answers with; returns the exit status. */
  static int send(ApiClient client, PrintStream out, PrintStream err, String path, List<String> terms,
      ImageCommand.UsageReporter usage) throws IOException, InterruptedException {
    Map<String, Object> patch = new LinkedHashMap<>();
    for (String term : terms) {
      int eq = term.indexOf('=');
      if (eq > 0) {
        patch.put(term.substring(0, eq), term.substring(eq + 1));
      } else if (term.endsWith("-") && term.length() > 1) {
        patch.put(term.substring(0, term.length() - 1), null);
      } else {
        return usage.report("'" + term + "' is neither K=V (set a label) nor K- (remove one)");
      }
    }
    ApiClient.Response response = client.patch(path, patch);
    if (!response.ok()) {
      return Replies.refused(err, response);
    }
    out.println(response.body().path("labels").toPrettyString());
    return 0;
  }
}
