package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands the hand-rolled CLI lacked, against a loopback control plane: what each sends and prints. */
class NewCommandsTest {
  @TempDir Path dir;
  private LoopbackControlPlane api;

  @BeforeEach
  void start() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> {
      if (method.equals("POST") && path.equals("/api/v1/migrations")) {
        return new LoopbackControlPlane.Answer(202, "{\"runId\":\"migrate-web1-0a1b2c3d\"}");
      }
      if (path.endsWith("/cancel")) {
        return new LoopbackControlPlane.Answer(200, "{\"id\":\"r1\",\"state\":\"RUNNING\"}");
      }
      if (path.startsWith("/api/v1/runs") || path.startsWith("/api/v1/deployments?")) {
        return new LoopbackControlPlane.Answer(200, "[{\"id\":\"r1\",\"type\":\"MigrateVm\",\"subject\":\"web1\","
            + "\"state\":\"RUNNING\",\"phase\":\"copy\",\"startedAt\":\"2026-12-06T04:00:00Z\",\"endedAt\":"
            + "\"2026-12-06T04:03:30Z\",\"progress\":{\"percent\":42.5}}]");
      }
      if (path.endsWith("/stop")) {
        return new LoopbackControlPlane.Answer(202, "{\"runId\":\"deploy-tiny-1\"}");
      }
      if (path.equals("/api/v1/users")) {
        return new LoopbackControlPlane.Answer(201, "{\"username\":\"ann\",\"role\":\"OPERATOR\"}");
      }
      if (method.equals("POST") && path.equals("/api/v1/tokens")) {
        return new LoopbackControlPlane.Answer(201, "{\"id\":7,\"name\":\"ci\",\"role\":\"VIEWER\",\"token\":\"nct_x\"}");
      }
      if (method.equals("DELETE")) {
        return new LoopbackControlPlane.Answer(204, "");
      }
      if (path.startsWith("/api/v1/nodes")) {
        return new LoopbackControlPlane.Answer(200, "[{\"name\":\"lab-a\",\"cpus\":8,\"memoryMib\":16384,"
            + "\"storageTotalGib\":100,\"storageFreeGib\":40,\"gpus\":[],\"cordon\":\"kernel\",\"down\":false}]");
      }
      return new LoopbackControlPlane.Answer(200, "[]");
    });
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void vmMigrateStartsAMigrationWithItsOptions() {
    assertThat(api.cli("vm", "migrate", "web1", "--to=lab-b", "--mode", "warm", "--bandwidth-mib=200",
        "--auto-converge")).isZero();
    assertThat(api.requests()).containsExactly("POST /api/v1/migrations {\"vmName\":\"web1\",\"targetNode\":\"lab-b\","
        + "\"mode\":\"warm\",\"options\":{\"bandwidthMiBps\":200,\"autoConverge\":true}}");
    assertThat(api.out()).isEqualTo("migrate-web1-0a1b2c3d" + System.lineSeparator());
    assertThat(api.cli("vm", "migrate", "web1", "--mode=teleport")).isEqualTo(ExitCodes.USAGE);
    assertThat(api.err()).contains("--mode", "teleport");
  }

  @Test
  void runsListFiltersAndShowsProgressAndDuration() {
    assertThat(api.cli("runs", "list", "--type=MigrateVm", "--state=RUNNING", "--subject=web1")).isZero();
    assertThat(api.requests()).containsExactly("GET /api/v1/runs?type=MigrateVm&state=RUNNING&subject=web1 ");
    assertThat(api.out()).contains("ID  TYPE       SUBJECT  STATE    PHASE  PROGRESS  DURATION",
        "r1  MigrateVm  web1     RUNNING  copy   42%       3.5 min");
  }

  @Test
  void runsCancelAsksTheApi() {
    assertThat(api.cli("runs", "cancel", "r1")).isZero();
    assertThat(api.requests()).containsExactly("POST /api/v1/runs/r1/cancel {}");
    assertThat(api.out()).contains("r1: cancel requested");
  }

  @Test
  void deploymentsListAndStop() {
    assertThat(api.cli("deployments", "list", "--state=RUNNING")).isZero();
    assertThat(api.cli("deployment", "stop", "deploy-tiny-1")).isZero();
    assertThat(api.requests()).containsExactly("GET /api/v1/deployments?state=RUNNING ",
        "POST /api/v1/deployments/deploy-tiny-1/stop {}");
  }

  @Test
  void nodesAloneListsThemAsATable() {
    assertThat(api.cli("nodes")).isZero();
    assertThat(api.requests()).containsExactly("GET /api/v1/nodes ");
    assertThat(api.out()).contains("NAME   STATUS    CPUS  MEMORY  STORAGE FREE       GPUS",
        "lab-a  cordoned  8     16 GiB  40 GiB of 100 GiB  0");
  }

  @Test
  void userCreateReadsThePasswordFromAFileNeverTheCommandLine() throws Exception {
    Path secret = Files.writeString(dir.resolve("pw"), "s3cret-pass\n");
    assertThat(api.cli("user", "create", "ann", "--role=operator", "--password-file=" + secret)).isZero();
    assertThat(api.requests()).containsExactly(
        "POST /api/v1/users {\"username\":\"ann\",\"password\":\"s3cret-pass\",\"role\":\"operator\"}");
    assertThat(api.out()).contains("username: ann");
    assertThat(api.cli("user", "create", "bob", "--role=admin", "--password=x")).isEqualTo(ExitCodes.USAGE);
    assertThat(api.cli("user", "create", "bob", "--role=admin")).as("no terminal in a test").isEqualTo(ExitCodes.USAGE);
    assertThat(api.err()).contains("needs --password-file FILE or --password-stdin");
  }

  @Test
  void tokenCreatePrintsTheTokenOnceAndRevokeDeletes() {
    assertThat(api.cli("token", "create", "ci", "--role=viewer")).isZero();
    assertThat(api.out()).contains("token: nct_x");
    assertThat(api.cli("tokens", "revoke", "7")).isZero();
    assertThat(api.cli("tokens", "revoke", "seven")).isEqualTo(ExitCodes.USAGE);
    assertThat(api.requests()).containsExactly("POST /api/v1/tokens {\"name\":\"ci\",\"role\":\"viewer\"}",
        "DELETE /api/v1/tokens/7 ");
    assertThat(api.out()).contains("revoked token 7");
  }

  @Test
  void auditAloneListsAPage() {
    assertThat(api.cli("audit", "--size=10")).isZero();
    assertThat(api.cli("audit", "list", "--page=2")).isZero();
    assertThat(api.requests()).containsExactly("GET /api/v1/audit?size=10 ", "GET /api/v1/audit?page=2 ");
    assertThat(api.out()).contains("ID  AT  ACTOR  ACTION  TARGET  OUTCOME  STATUS");
  }

  @Test
  void auditListSendsItsFiltersBeforeThePage() {
    assertThat(api.cli("audit", "list", "--actor=alice", "--action=POST /api/v1/vms", "--outcome=refused",
        "--target=web1", "--since=2026-12-06T19:00:00Z", "--until=2026-12-06T20:00:00+01:00", "--size=5")).isZero();
    assertThat(api.cli("audit", "--outcome=failed")).isZero();
    assertThat(api.requests()).containsExactly(
        "GET /api/v1/audit?actor=alice&action=POST+%2Fapi%2Fv1%2Fvms&outcome=refused&target=web1"
            + "&since=2026-12-06T19%3A00%3A00Z&until=2026-12-06T20%3A00%3A00%2B01%3A00&size=5 ",
        "GET /api/v1/audit?outcome=failed ");
  }

  @Test
  void modelPlanKeepsItsExitTwoWhenItDoesNotFit() {
    assertThat(api.cli("model", "plan", "--model", "llama-3.1-405b", "--dtype", "bf16", "--nodes", "1",
        "--gpus-per-node", "1", "--gpu-memory-gib", "24")).isEqualTo(ExitCodes.REFUSED);
    assertThat(api.cli("model", "plan", "--model=llama-3.1-405b", "--dtype=fp8", "--nodes=1", "--gpus-per-node=8",
        "--gpu-memory-gib=80")).isZero();
    assertThat(api.cli("model", "plan", "--nodes=1")).isEqualTo(ExitCodes.USAGE);
    assertThat(api.requests()).as("planned locally").isEmpty();
  }
}
