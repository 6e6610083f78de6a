package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/** A drain's or a rebalance's plan as readable text: which VM goes where, in what order, why. */
final class FleetPlanText {
  private final PrintStream out;

  FleetPlanText(PrintStream out) {
    this.out = out;
  }

  /** "lab-a 3 VMs would move off ...", then each move in order and each VM that stays. */
  void drain(JsonNode plan) {
    out.println(plan.path("summary").asText());
    moves(plan.path("moves"));
    JsonNode stays = plan.path("stays");
    if (!stays.isEmpty()) {
      out.println("stays:");
      stays.forEach(s -> out.println("  " + s.path("vm").asText() + ": " + s.path("reason").asText()));
    }
  }

  /** The summary, each move in order, and each node's memory share before and after. */
  void rebalance(JsonNode plan) {
    out.println(plan.path("summary").asText());
    moves(plan.path("moves"));
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

  private void moves(JsonNode moves) {
    int i = 1;
    for (JsonNode m : moves) {
      out.printf("  %d. %s: %s -> %s, %s (policy %s): %s%n", i++, m.path("vm").asText(), m.path("source").asText(),
          m.path("target").asText(), m.path("mode").asText(), m.path("policy").asText(), m.path("why").asText());
    }
  }
}
