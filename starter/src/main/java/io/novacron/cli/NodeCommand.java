package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code novacron node list|get|cordon|uncordon|drain|rebalance}: fleet operations through the REST
 * API. Plans print as readable text (which VM goes where, in what order, why); runs print their id
 * and, with {@code --watch}, follow it.
 */
final class NodeCommand {
  private final ApiClient client;
  private final PrintStream out;
  private final PrintStream err;

  NodeCommand(ApiClient client, PrintStream out, PrintStream err) {
    this.client = client;
    this.out = out;
    this.err = err;
  }

  /**
   * @param words the command words after {@code node}
   * @return the exit status
   */
  int run(List<String> words, Map<String, String> options, ImageCommand.UsageReporter usage)
      throws IOException, InterruptedException {
    String verb = words.isEmpty() ? "" : words.get(0);
    switch (verb) {
      case "list":
        return words.size() == 1 && options.isEmpty() ? print(client.get("/api/v1/nodes"))
            : usage.report("node list takes no arguments");
      case "rebalance":
        return words.size() == 1 ? rebalance(options, usage) : usage.report("node rebalance takes no NAME");
      case "label":
        return words.size() >= 3 && options.isEmpty()
            ? LabelPatch.send(client, out, err, "/api/v1/nodes/" + words.get(1) + "/labels", words.subList(2, words.size()),
                usage)
            : usage.report("node label needs the node's NAME and at least one K=V or K-");
      case "get", "cordon", "uncordon", "drain":
        break;
      default:
        return usage.report(verb.isEmpty() ? "node needs list, get, label, cordon, uncordon, drain or rebalance"
            : "unknown command 'node " + verb + "'");
    }
    if (words.size() != 2) {
      return usage.report("node " + verb + " needs the node's NAME");
    }
    String node = words.get(1);
    switch (verb) {
      case "get":
        return options.isEmpty() ? print(client.get("/api/v1/nodes/" + node)) : usage.report("node get takes no options");
      case "cordon": {
        Map<String, Object> body = new LinkedHashMap<>();
        String reason = options.remove("reason");
        if (reason != null) {
          body.put("reason", reason);
        }
        if (!options.isEmpty()) {
          return usage.report("node cordon has no option --" + options.keySet().iterator().next());
        }
        return cordonState(client.post("/api/v1/nodes/" + node + "/cordon", body));
      }
      case "uncordon":
        return options.isEmpty() ? cordonState(client.post("/api/v1/nodes/" + node + "/uncordon", Map.of()))
            : usage.report("node uncordon has no option --" + options.keySet().iterator().next());
      default:
        return drain(node, options, usage);
    }
  }

  private int drain(String node, Map<String, String> options, ImageCommand.UsageReporter usage)
      throws IOException, InterruptedException {
    boolean watch = flag(options.remove("watch"));
    boolean dryRun = flag(options.remove("dry-run"));
    Map<String, Object> body = new LinkedHashMap<>();
    String policy = options.remove("policy");
    if (policy != null) {
      body.put("policy", policy);
    }
    String mode = options.remove("mode");
    if (mode != null) {
      body.put("mode", mode);
    }
    String parallel = options.remove("parallel");
    if (parallel != null) {
      body.put("parallel", NovacronCli.number(parallel));
    }
    if (!options.isEmpty()) {
      return usage.report("node drain has no option --" + options.keySet().iterator().next()
          + " (it takes --policy, --mode, --parallel, --dry-run, --watch)");
    }
    body.put("dryRun", dryRun);
    ApiClient.Response response = client.post("/api/v1/nodes/" + node + "/drain", body);
    if (!response.ok()) {
      return refused(response);
    }
    if (dryRun) {
      printDrainPlan(response.body());
      return 0;
    }
    return started(response, watch);
  }

  private int rebalance(Map<String, String> options, ImageCommand.UsageReporter usage)
      throws IOException, InterruptedException {
    boolean watch = flag(options.remove("watch"));
    boolean execute = flag(options.remove("execute"));
    boolean dryRun = flag(options.remove("dry-run"));
    if (execute && dryRun) {
      return usage.report("node rebalance takes --execute or --dry-run, not both");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    String maxMoves = options.remove("max-moves");
    if (maxMoves != null) {
      body.put("maxMoves", NovacronCli.number(maxMoves));
    }
    String parallel = options.remove("parallel");
    if (parallel != null) {
      body.put("parallel", NovacronCli.number(parallel));
    }
    if (!options.isEmpty()) {
      return usage.report("node rebalance has no option --" + options.keySet().iterator().next()
          + " (it takes --max-moves, --parallel, --execute, --dry-run, --watch)");
    }
    body.put("dryRun", !execute);
    ApiClient.Response response = client.post("/api/v1/rebalance", body);
    if (!response.ok()) {
      return refused(response);
    }
    if (!execute) {
      printRebalancePlan(response.body());
      return 0;
    }
    return started(response, watch);
  }

  /** "lab-a 3 VMs would move off ...", then each move in order and each VM that stays. */
  void printDrainPlan(JsonNode plan) {
    out.println(plan.path("summary").asText());
    printMoves(plan.path("moves"));
    JsonNode stays = plan.path("stays");
    if (!stays.isEmpty()) {
      out.println("stays:");
      stays.forEach(s -> out.println("  " + s.path("vm").asText() + ": " + s.path("reason").asText()));
    }
  }

  /** The summary, each move in order, and each node's memory share before and after. */
  void printRebalancePlan(JsonNode plan) {
    out.println(plan.path("summary").asText());
    printMoves(plan.path("moves"));
    JsonNode after = plan.path("after");
    if (!plan.path("before").isEmpty()) {
      out.println("memory share, before -> after:");
      for (JsonNode before : plan.path("before")) {
        String node = before.path("node").asText();
        double then = before.path("memoryShare").asDouble();
        double now = then;
        for (JsonNode a : after) {
          if (a.path("node").asText().equals(node)) {
            now = a.path("memoryShare").asDouble();
          }
        }
        out.printf("  %-16s %3.0f%% -> %3.0f%%%n", node, then * 100, now * 100);
      }
    }
  }

  private void printMoves(JsonNode moves) {
    int i = 1;
    for (JsonNode m : moves) {
      out.printf("  %d. %s: %s -> %s, %s (policy %s): %s%n", i++, m.path("vm").asText(), m.path("source").asText(),
          m.path("target").asText(), m.path("mode").asText(), m.path("policy").asText(), m.path("why").asText());
    }
  }

  private int cordonState(ApiClient.Response response) {
    if (!response.ok()) {
      return refused(response);
    }
    JsonNode node = response.body();
    out.println(node.path("name").asText() + (node.path("cordon").isNull() || node.path("cordon").isMissingNode()
        ? " is not cordoned" : " is cordoned: " + node.path("cordon").asText()));
    return 0;
  }

  private int started(ApiClient.Response response, boolean watch) throws IOException, InterruptedException {
    String runId = response.body().path("runId").asText();
    out.println(runId);
    return watch ? new RunWatcher(client, out).watch(runId) : 0;
  }

  private int refused(ApiClient.Response response) {
    return Replies.refused(err, response);
  }

  private int print(ApiClient.Response response) {
    return Replies.print(out, err, response);
  }


  private static boolean flag(String value) {
    return value != null && !value.equals("false");
  }
}
