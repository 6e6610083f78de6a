package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code novacron node cordon|uncordon|drain|rebalance} against a loopback control plane. */
class NodeCommandTest {
  private static final String PLAN = """
      {"node":"lab-a","summary":"2 VMs would move off lab-a; 1 would stay","empties":false,
       "moves":[{"vm":"web-1","source":"lab-a","target":"lab-b","mode":"live","policy":"live-or-fail",
                 "why":"most free memory (3072 MiB) of 2 fitting nodes"},
                {"vm":"web-2","source":"lab-a","target":"lab-c","mode":"live","policy":"skip","why":"the only fitting node"}],
       "stays":[{"vm":"db-1","reason":"shutoff: MigrateVm moves running guests only; start it to move it"}]}""";

  private LoopbackControlPlane api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void aDryRunPrintsEachMoveInOrderAndWhatStays() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> new LoopbackControlPlane.Answer(200, PLAN));

    assertThat(api.cli("node", "drain", "lab-a", "--dry-run", "--policy=skip", "--parallel=3")).isZero();

    assertThat(api.requests()).containsExactly(
        "POST /api/v1/nodes/lab-a/drain {\"policy\":\"skip\",\"parallel\":3,\"dryRun\":true}");
    assertThat(api.out()).contains("2 VMs would move off lab-a; 1 would stay")
        .contains("  1. web-1: lab-a -> lab-b, live (policy live-or-fail): most free memory")
        .contains("  2. web-2: lab-a -> lab-c, live (policy skip)")
        .contains("stays:\n  db-1: shutoff");
  }

  @Test
  void aDrainPrintsItsRunAndCordonSaysWhy() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> path.endsWith("/drain")
        ? new LoopbackControlPlane.Answer(202, "{\"runId\":\"drain-lab-a-0a1b2c3d\"}")
        : path.endsWith("/uncordon") ? new LoopbackControlPlane.Answer(200, "{\"name\":\"lab-a\"}")
        : new LoopbackControlPlane.Answer(200, "{\"name\":\"lab-a\",\"cordon\":\"kernel update\"}"));

    assertThat(api.cli("node", "drain", "lab-a", "--mode=cold")).isZero();
    assertThat(api.cli("node", "cordon", "lab-a", "--reason=kernel update")).isZero();
    assertThat(api.cli("node", "uncordon", "lab-a")).isZero();

    assertThat(api.requests()).containsExactly(
        "POST /api/v1/nodes/lab-a/drain {\"mode\":\"cold\",\"dryRun\":false}",
        "POST /api/v1/nodes/lab-a/cordon {\"reason\":\"kernel update\"}",
        "POST /api/v1/nodes/lab-a/uncordon {}");
    assertThat(api.out()).contains("drain-lab-a-0a1b2c3d", "lab-a is cordoned: kernel update",
        "lab-a is not cordoned");
  }

  @Test
  void aRebalanceOnlyPlansUnlessToldToExecute() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> new LoopbackControlPlane.Answer(200, """
        {"summary":"1 move brings the memory spread from 60% to 10% (cap 5)",
         "moves":[{"vm":"web-1","source":"lab-a","target":"lab-b","mode":"live","policy":"skip","why":"lab-a 70% -> 45%"}],
         "before":[{"node":"lab-a","memoryShare":0.7},{"node":"lab-b","memoryShare":0.1}],
         "after":[{"node":"lab-a","memoryShare":0.45},{"node":"lab-b","memoryShare":0.35}]}"""));

    assertThat(api.cli("node", "rebalance", "--max-moves=5")).isZero();

    assertThat(api.requests()).containsExactly("POST /api/v1/rebalance {\"maxMoves\":5,\"dryRun\":true}");
    assertThat(api.out()).contains("1 move brings the memory spread from 60% to 10%")
        .containsPattern("lab-a +70% ->  45%").containsPattern("lab-b +10% ->  35%");
  }

  @Test
  void aRefusalNamesTheFieldAndBadUsageSendsNothing() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> new LoopbackControlPlane.Answer(400,
        "{\"detail\":\"policy: unknown policy 'x'\",\"errors\":[{\"field\":\"policy\",\"message\":\"unknown policy 'x'\"}]}"));

    assertThat(api.cli("node", "drain", "lab-a", "--policy=x")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.err()).contains("policy: unknown policy 'x'");
    int sent = api.requests().size();
    assertThat(api.cli("node", "drain")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("node", "rebalance", "--execute", "--dry-run")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("node", "frobnicate", "lab-a")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.requests()).hasSize(sent);
    assertThat(api.err()).contains("Missing required parameter: 'NAME'", "see: novacron node drain --help", "not both",
        "Unmatched arguments from index 2: 'frobnicate', 'lab-a'");
  }

  @Test
  void nodeLabelSendsAMergePatchAndPrintsTheLabels() throws Exception {
    api = new LoopbackControlPlane((method, path, body) ->
        new LoopbackControlPlane.Answer(200, "{\"name\":\"lab-a\",\"labels\":{\"zone\":\"rack-2\"}}"));

    assertThat(api.cli("node", "label", "lab-a", "zone=rack-2", "disk-")).isZero();
    assertThat(api.cli("node", "label", "lab-a")).isEqualTo(NovacronCli.EXIT_USAGE);

    assertThat(api.requests()).containsExactly("PATCH /api/v1/nodes/lab-a/labels {\"zone\":\"rack-2\",\"disk\":null}");
    assertThat(api.out()).contains("\"zone\" : \"rack-2\"");
  }

  @Test
  void aWatchedDrainPrintsEachVmAsItChanges() throws Exception {
    java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
    api = new LoopbackControlPlane((method, path, body) -> {
      if (method.equals("POST")) {
        return new LoopbackControlPlane.Answer(202, "{\"runId\":\"drain-lab-a-0a1b2c3d\"}");
      }
      boolean first = polls.getAndIncrement() == 0;
      return new LoopbackControlPlane.Answer(200, "{\"id\":\"drain-lab-a-0a1b2c3d\",\"state\":\""
          + (first ? "RUNNING\",\"phase\":\"move\"" : "SUCCEEDED\",\"phase\":\"succeeded\"")
          + ",\"items\":[{\"item\":\"web-1\",\"state\":\"" + (first ? "moving" : "moved")
          + "\",\"target\":\"lab-b\",\"detail\":\"" + (first ? "live move to lab-b" : "moved live to lab-b")
          + "\"},{\"item\":\"db-1\",\"state\":\"stayed\",\"detail\":\"shutoff\"}]}");
    });

    assertThat(api.cli("node", "drain", "lab-a", "--watch")).isZero();

    assertThat(api.out()).contains("  web-1: moving -> lab-b (live move to lab-b)",
        "  web-1: moved -> lab-b (moved live to lab-b)", "  db-1: stayed (shutoff)");
    assertThat(api.out().split("db-1: stayed", -1)).as("an unchanged item is printed once").hasSize(2);
  }
}
