package io.novacron.control.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.control.ControlPlaneTest;
import io.novacron.control.ScriptedMigrationHosts;
import io.novacron.control.security.Role;
import io.novacron.control.TestDriverHostAgent;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dashboard in headless Chromium against the real control plane: Temporal test server,
 * embedded PostgreSQL, and the host activities on libvirt's test driver for node
 * {@value #NODE}. Pages must change by server push: each test marks the page's window and checks
 * the mark is still there, which a reload would have wiped.
 */
class DashboardBrowserIT extends ControlPlaneTest {
  static final String NODE = "browser-node";
  /** A node nobody serves: its runs wait on their first host step, long enough to cancel. */
  static final String GHOST = "ghost-node";
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
  private static TestDriverHostAgent agent;
  /** The agent's data directory: its console logs are in {@code consoles/}. */
  private static java.nio.file.Path agentData;
  private static ScriptedMigrationHosts migrationHosts;

  @LocalServerPort int port;
  @Autowired WorkflowClient temporal;
  @Autowired JdbcClient jdbc;
  private Browser browser;
  private Credentials operator;
  private String operatorToken;

  @BeforeEach
  void start() throws Exception {
    synchronized (DashboardBrowserIT.class) {
      if (agent == null) {
        agentData = Files.createTempDirectory("novacron-browser-node");
        agent = new TestDriverHostAgent(temporal, NODE, agentData);
        jdbc.sql("insert into nodes (name, cpus, memory_mib, storage_free_gib, storage_total_gib, host_seen_at,"
            + " host_announce_interval_s) values (:name, 4, 4096, 100, 100, now(), 3600)"
            + " on conflict (name) do nothing").param("name", GHOST).update();
        migrationHosts = new ScriptedMigrationHosts(temporal, "mig-src", "mig-dst");
        // Room for the VM on the target: the migration's check asks the inventory.
        jdbc.sql("insert into nodes (name, cpus, memory_mib, storage_free_gib, storage_total_gib, host_seen_at,"
            + " host_announce_interval_s) values ('mig-src', 4, 4096, 100, 100, now(), 3600),"
            + " ('mig-dst', 4, 4096, 100, 100, now(), 3600)").update();
        jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib)"
            + " values ('browser-mig1', 'uuid-browser-mig1', 'mig-src', 'running', 1, 256, 1)").update();
      }
    }
    awaitAnnouncement();
    operator = userWith(Role.OPERATOR);
    operatorToken = tokenFor(Role.OPERATOR);
    browser = new Browser(port);
    browser.signIn(operator.account().username(), operator.password());
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @AfterAll
  static void stopAgent() {
    if (agent != null) {
      agent.close();
    }
    if (migrationHosts != null) {
      migrationHosts.close();
    }
  }

  @Test
  void aVmProvisionedFromTheFormIsWatchedToSucceededWithoutReload() {
    browser.open("/vms");
    browser.type("#provision-name", "browser-vm1");
    browser.type("#provision-memory", "128");
    browser.type("#provision-node", NODE);
    browser.find("#provision-node input").sendKeys(Keys.ENTER);
    browser.find("#provision-launch").click();

    browser.await(Duration.ofSeconds(30), d -> browser.path().startsWith("/runs/provision-browser-vm1-"));
    String runId = browser.path().substring("/runs/".length());
    markWindow();
    browser.await(RUN_TIMEOUT, d -> browser.text("#run-state").equals("SUCCEEDED"));
    browser.screenshot("provision-run");
    assertThat(windowStillMarked()).as("the page changed without a reload").isTrue();
    assertThat(browser.text("#run-timeline")).contains("place");
    assertThat(browser.count("#run-events vaadin-grid-cell-content")).isPositive();
    assertThat(browser.text("#run-summary")).contains("ProvisionVm of browser-vm1 on " + NODE);
    assertThat(jdbc.sql("select node || ' ' || state from vms where name = 'browser-vm1'").query(String.class).single())
        .isEqualTo(NODE + " running");
    assertThat(jdbc.sql("select state from runs where id = :id").param("id", runId).query(String.class).single())
        .isEqualTo("SUCCEEDED");
    assertThat(jdbc.sql("select actor || ' ' || detail from audit_events where action = 'vm.provision'"
            + " and target = 'browser-vm1'").query(String.class).single())
        .as("the launch is in the audit trail under the signed-in user")
        .isEqualTo(operator.account().username() + " run " + runId);
  }

  @Test
  void aViewerSeesEverythingButCanLaunchNothing() throws Exception {
    String running = provisionThroughApi("browser-viewer1", GHOST);
    Credentials viewer = userWith(Role.VIEWER);
    browser.find("#sign-out").click();
    browser.await(Duration.ofSeconds(30), d -> browser.path().startsWith("/login"));
    browser.signIn(viewer.account().username(), viewer.password());
    assertThat(browser.text("#signed-in-user")).endsWith("(viewer)");

    browser.open("/vms");
    browser.find("#vms-read-only");
    assertThat(browser.displayed("#provision-launch")).as("no provisioning form").isFalse();
    assertThat(browser.count("#vms vaadin-button")).as("no start, stop or migrate buttons").isZero();
    browser.open("/vms/" + "browser-viewer1");
    browser.find("#vm-console-read-only");
    assertThat(browser.count("#vm-console")).as("no console: a guest may print secrets on it").isZero();
    assertThat(browser.count("vaadin-button[id^='delete-']")).as("no actions on the VM's page").isZero();
    browser.open("/models");
    browser.find("#models-read-only");
    assertThat(browser.displayed("#deploy-launch")).as("no deploy form").isFalse();

    browser.open("/runs/" + running);
    browser.await(Duration.ofSeconds(60), d -> browser.text("#run-state").equals("RUNNING"));
    assertThat(browser.displayed("#run-cancel")).as("no cancel").isFalse();
    assertThat(browser.displayed("#run-force-complete")).isFalse();
    browser.screenshot("viewer-run");
    temporal.newUntypedWorkflowStub(running).cancel();
  }

  @Test
  void aMigrationStartedFromTheDialogShowsLiveProgressAndIsForcedToComplete() {
    browser.open("/vms");
    browser.find("#migrate-browser-mig1").click();
    browser.type("#migrate-target", "mig-dst");
    browser.find("#migrate-target input").sendKeys(Keys.ENTER);
    browser.screenshot("migrate-dialog");
    browser.find("#migrate-start").click();

    browser.await(Duration.ofSeconds(30), d -> browser.path().startsWith("/runs/migrate-browser-mig1-"));
    markWindow();
    browser.await(Duration.ofSeconds(60), d -> browser.text("#migration-progress-text").contains("MiB/s"));
    String first = browser.text("#migration-progress-text");
    // The scripted monitor sends 25 MiB/s against a 4 MiB/s dirty rate: it converges, so an ETA shows.
    assertThat(first).matches(".+ of .+ \\(\\d+(\\.\\d)? %\\) · 25 MiB/s · ETA \\d+ s");
    assertThat(browser.text("#migration-progress-detail")).contains("dirty rate 4 MiB/s");
    browser.await(Duration.ofSeconds(30), d -> !browser.text("#migration-progress-text").equals(first));
    browser.await(Duration.ofSeconds(30), d -> browser.count("#migration-chart polyline") == 2);
    browser.screenshot("migration-progress");
    assertThat(browser.text("#run-cancel")).isEqualTo("Abort migration");

    browser.find("#run-force-complete").click();
    browser.await(RUN_TIMEOUT, d -> browser.text("#run-state").equals("SUCCEEDED"));
    assertThat(windowStillMarked()).as("progress and outcome arrived without a reload").isTrue();
    assertThat(migrationHosts.forced()).as("the force-complete reached the source agent").isTrue();
    assertThat(browser.text("#run-events")).contains("force-complete requested");
    assertThat(jdbc.sql("select node from vms where name = 'browser-mig1'").query(String.class).single())
        .isEqualTo("mig-dst");
    browser.screenshot("migration-done");
  }

  @Test
  void aRunningRunIsCancelledFromItsPage() throws Exception {
    String runId = provisionThroughApi("browser-cancel1", GHOST);
    browser.open("/runs/" + runId);
    markWindow();
    browser.await(Duration.ofSeconds(60), d -> browser.text("#run-state").equals("RUNNING"));
    browser.find("#run-cancel").click();
    browser.find("#run-cancel-confirm").click();
    browser.await(RUN_TIMEOUT, d -> browser.text("#run-state").equals("CANCELLED"));
    assertThat(windowStillMarked()).as("the page changed without a reload").isTrue();
    assertThat(browser.text("#run-events")).as("the request stays in the timeline")
        .contains("cancel requested by " + operator.account().username());
    assertThat(browser.text("#run-timeline")).contains("rollback");
    assertThat(browser.displayed("#run-cancel")).as("an ended run offers no cancel").isFalse();
  }

  @Test
  void theOverviewCountsNodesAndShowsANewRunLive() throws Exception {
    browser.open("/");
    browser.await(Duration.ofSeconds(30), d -> browser.text("#nodes-up").matches("\\d+"));
    assertThat(Integer.parseInt(browser.text("#nodes-up"))).isPositive();
    assertThat(browser.text("#driver-banner")).contains(NODE);
    markWindow();
    String runId = provisionThroughApi("browser-live1", GHOST);
    browser.await(Duration.ofSeconds(30), d -> browser.text("#latest-runs").contains(runId));
    assertThat(windowStillMarked()).as("the run appeared without a reload").isTrue();
    browser.screenshot("overview");
    browser.open("/nodes");
    browser.find("#nodes vaadin-progress-bar");
    browser.screenshot("nodes");
    browser.open("/runs");
    browser.type("#runs-text", "browser-live1");
    browser.await(Duration.ofSeconds(30), d -> browser.text("#runs-page").endsWith("(1 run)"));
    assertThat(browser.text("#runs")).contains(runId);
    browser.screenshot("runs");
    temporal.newUntypedWorkflowStub(runId).cancel();
  }

  @Test
  void aNodeIsCordonedAndUncordonedFromTheNodesPageAndADrainShowsItsPlanFirst() throws Exception {
    browser.open("/nodes");
    clickInGrid("#cordon-" + GHOST);
    clickWhenReady("#node-action-confirm");
    browser.await(Duration.ofSeconds(30), d -> browser.count("#uncordon-" + GHOST) == 1);
    assertThat(jdbc.sql("select cordon from nodes where name = :n").param("n", GHOST).query(String.class).single())
        .isEqualTo("cordoned from the dashboard");
    assertThat(browser.text("#nodes")).contains("cordoned");

    clickInGrid("#drain-" + GHOST);
    browser.await(Duration.ofSeconds(30), d -> browser.text("#drain-plan").contains("would move off " + GHOST));
    browser.screenshot("node-drain-plan");
    clickWhenReady("#node-action-cancel");
    assertThat(jdbc.sql("select count(*) from runs where type = 'DrainNode' and subject = :n").param("n", GHOST)
        .query(Long.class).single()).as("cancelled: no drain started").isZero();

    // The drain plan's dialog stays in the page while it closes, with buttons of the same ids: a
    // confirm found then would be its, and the uncordon would never be confirmed.
    browser.await(Duration.ofSeconds(30), d -> browser.count("#node-action-cancel") == 0);
    clickInGrid("#uncordon-" + GHOST);
    clickWhenReady("#node-action-confirm");
    browser.await(Duration.ofSeconds(30), d -> browser.count("#cordon-" + GHOST) == 1);
    assertThat(jdbc.sql("select coalesce(cordon, '') from nodes where name = :n").param("n", GHOST).query(String.class)
        .single()).isEmpty();
  }

  /**
   * Clicks a button in a grid cell by script: the Nodes grid is wider than the window, and its last
   * column's buttons sit under the grid's scroll area, where a pointer click is intercepted.
   */
  /** Clicks a dialog's button once it is the live one (a closing dialog's stays in the page for a moment). */
  private void clickWhenReady(String css) throws InterruptedException {
    for (int i = 0; ; i++) {
      try {
        browser.find(css).click();
        return;
      } catch (org.openqa.selenium.StaleElementReferenceException
          | org.openqa.selenium.ElementClickInterceptedException e) {
        if (i == 50) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private void clickInGrid(String css) {
    browser.find(css);
    browser.script("document.querySelector('" + css + "').click()");
  }

  /**
   * The layout faults of issue 18, at 1440 x 900: a long detail on Runs stood one word per line,
   * and the Audit grid scrolled sideways. Screenshots of the pages go to target/screenshots/ for a
   * person to read.
   */
  @Test
  void pagesFitALaptopScreenWithoutOneWordLinesOrSidewaysScroll() throws Exception {
    String reason = "unable to connect to the migration target layout-dst: connection refused by the host agent"
        + " after three attempts, the VM keeps running on its source";
    jdbc.sql("insert into runs (id, type, subject, input, state, phase, detail, node, started_at, updated_at, ended_at)"
        + " values ('layout-run-1', 'MigrateVm', 'layout-vm', '{}', 'FAILED', 'transfer', :detail, 'mig-src',"
        + " now(), now(), now()) on conflict (id) do nothing").param("detail", reason).update();
    jdbc.sql("insert into audit_events (at, actor_kind, actor, action, target, outcome, status, detail, request_id)"
        + " values (now(), 'user', 'layout-auditor', 'POST /api/v1/vms/layout-vm-with-a-rather-long-name/migrate',"
        + " '/api/v1/vms/layout-vm-with-a-rather-long-name/migrate', 'refused', 422, :detail,"
        + " 'a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d')").param("detail", reason + "; " + reason).update();

    // A run id as long as RunLauncher makes them (a 63-character VM name), and a migration's stored
    // samples (MigrationSampler writes them; none runs here for a FAILED run, so the test does).
    String longId = "migrate-layout-vm-with-a-name-as-long-as-libvirt-and-our-validator-allow-it-0123-ab12cd34";
    jdbc.sql("insert into runs (id, type, subject, input, state, phase, detail, node, started_at, updated_at, ended_at)"
        + " values (:id, 'MigrateVm', 'layout-vm', '{}', 'SUCCEEDED', 'done', null, 'mig-src', now(), now(), now())"
        + " on conflict (id) do nothing").param("id", longId).update();
    for (int i = 0; i < 40; i++) {
      jdbc.sql("insert into migration_samples (run_id, elapsed_ms, at, bytes_processed, bytes_remaining, bytes_total,"
              + " bytes_per_second, dirty_rate, iteration, stalled, forced)"
              + " values ('layout-run-1', :ms, now() - make_interval(secs => :back), :done, :left, :total, 26214400,"
              + " :dirty, 1, false, false) on conflict do nothing")
          .param("ms", i * 2_000L).param("back", 80 - 2 * i).param("done", i * 50L << 20)
          .param("left", (40 - i) * 50L << 20).param("total", 40 * 50L << 20).param("dirty", (i % 7) * 1L << 20).update();
    }
    for (int i = 0; i < 30; i++) {
      jdbc.sql("insert into node_capacity_samples (node, at, vcpus_used, vcpus_total, memory_used_mib,"
              + " memory_total_mib, disk_used_gib, disk_total_gib, vms)"
              + " values (:node, date_trunc('minute', now()) - make_interval(mins => :back), :cpu, 8, :mem, 16384, 20, 100, 1)"
              + " on conflict do nothing")
          .param("node", NODE).param("back", 2 * (30 - i)).param("cpu", 1 + i % 4).param("mem", 1024L * (1 + i % 5)).update();
    }

    browser.open("/runs");
    browser.type("#runs-text", "layout-");
    browser.await(Duration.ofSeconds(30), d -> browser.text("#runs").contains("layout-run-1")
        && browser.text("#runs").contains("ab12cd34"));
    browser.screenshot("layout-runs-long-id");
    assertNoSidewaysScroll("#runs", "Runs");
    assertHeadersAlignWithCells("#runs", "Runs");
    Number detailLines = (Number) browser.script("""
        const cell = [...document.querySelectorAll('#runs vaadin-grid-cell-content span')]
            .find(s => s.textContent.startsWith('unable to connect to the migration target layout-dst'));
        return cell ? cell.getClientRects().length : -1;""");
    browser.screenshot("layout-runs");
    assertThat(detailLines.intValue()).as("lines of a 24-word detail on Runs (one word a line would be 24)")
        .isBetween(1, 5);
    Boolean startedFits = (Boolean) browser.script("""
        const cell = [...document.querySelectorAll('#runs vaadin-grid-cell-content')]
            .find(c => / UTC$/.test(c.textContent));
        return cell != null && cell.scrollWidth <= cell.clientWidth;""");
    assertThat(startedFits).as("the Started date is shown whole").isTrue();

    browser.open("/runs/layout-run-1");
    browser.await(Duration.ofSeconds(30), d -> browser.text("#run-state").equals("FAILED"));
    assertThat(browser.text("#run-headline")).isEqualTo("Failed in phase transfer: " + reason);
    browser.screenshot("layout-run");
    // The run ended before this page opened: its chart is the stored series, all 40 points.
    browser.await(Duration.ofSeconds(30), d -> pointCount("#migration-chart polyline.transferred") == 40);
    assertThat(pointCount("#migration-chart polyline.dirty-rate")).isEqualTo(40);

    browser.open("/audit");
    browser.find("#audit vaadin-grid-cell-content");
    browser.await(Duration.ofSeconds(30), d -> browser.text("#audit").contains("layout-auditor"));
    Object widths = browser.script("""
        const table = document.querySelector('#audit').shadowRoot.querySelector('#table');
        return table ? [table.scrollWidth, table.clientWidth] : null;""");
    browser.screenshot("layout-audit");
    assertThat(widths).as("the Audit grid's scroller").isNotNull();
    java.util.List<?> pair = (java.util.List<?>) widths;
    assertThat(((Number) pair.get(0)).longValue()).as("Audit grid scrollWidth <= clientWidth at " + Browser.WIDTH + " px")
        .isLessThanOrEqualTo(((Number) pair.get(1)).longValue());
    assertNoSidewaysScroll("#audit", "Audit");
    assertHeadersAlignWithCells("#audit", "Audit");

    browser.type("#audit-text", "a3f1c2d4");
    browser.await(Duration.ofSeconds(30), d -> browser.count("#audit vaadin-grid-cell-content") > 0
        && !browser.text("#audit").contains(operator.account().username()));
    assertThat(browser.text("#audit")).as("the text filter keeps the matching entry").contains("layout-auditor");
    browser.screenshot("layout-audit-filtered");

    browser.open("/nodes");
    browser.find("#nodes vaadin-progress-bar");
    browser.screenshot("layout-nodes");
    // Open the node's row: its capacity charts draw the stored samples (the test's 30 in the last
    // hour, and whatever CapacitySampler wrote for the node while the context ran).
    browser.script("[...document.querySelectorAll('#nodes vaadin-grid-cell-content')]"
        + ".find(c => c.textContent.trim() === '" + NODE + "').click()");
    browser.await(Duration.ofSeconds(30), d -> browser.count("#capacity-" + NODE + " .capacity-chart") == 3);
    browser.await(Duration.ofSeconds(30), d -> pointCount("#capacity-" + NODE + " .capacity-chart polyline.used") >= 30);
    assertThat(pointCount("#capacity-" + NODE + " .capacity-chart polyline.total")).isGreaterThanOrEqualTo(30);
    assertThat((String) browser.script("return document.querySelector('#capacity-" + NODE + "').textContent"))
        .as("scales in the node page's units").contains("vCPUs", "GiB").doesNotContain("collecting samples");
    browser.screenshot("layout-node-capacity");
    Object cut = browser.script("""
        return [...document.querySelectorAll('#nodes vaadin-grid-cell-content')]
            .filter(c => c.textContent.trim() && c.scrollWidth > c.clientWidth + 1)
            .map(c => c.textContent.trim());""");
    assertThat((java.util.List<?>) cut).as("Nodes cells whose text is cut off").isEmpty();
    browser.open("/vms/browser-mig1");
    browser.await(Duration.ofSeconds(30), d -> browser.text("body").contains("uuid-browser-mig1"));
    browser.screenshot("layout-vm");
  }

  /** The points of the first polyline {@code css} finds; 0 when there is none. */
  private long pointCount(String css) {
    Object n = browser.script("const p = document.querySelector(\"" + css + "\");"
        + " return p ? p.getAttribute('points').trim().split(' ').length : 0;");
    return ((Number) n).longValue();
  }

  /** The grid {@code css} fits its width at 1440 px: its scroller is no wider than it shows. */
  /**
   * Every column header starts where its cells start. Widths in {@code em} once made the header
   * (smaller font) narrower than the body on Runs, so each header drifted left of its column.
   */
  private void assertHeadersAlignWithCells(String css, String page) {
    Number drift = (Number) browser.script("const root = document.querySelector('" + css + "').shadowRoot;"
        + " const heads = [...root.querySelectorAll('#header tr:first-child th')];"
        + " const row = [...root.querySelectorAll('#items tr')].find(r => !r.hidden);"
        + " if (!row || heads.length === 0) return -1;"
        + " const cells = [...row.querySelectorAll('td')];"
        + " let max = 0;"
        + " heads.forEach((h, i) => { if (cells[i]) max = Math.max(max,"
        + "   Math.abs(h.getBoundingClientRect().left - cells[i].getBoundingClientRect().left)); });"
        + " return max;");
    assertThat(drift.doubleValue()).as(page + ": largest distance in px between a column's header and its cells")
        .isBetween(0.0, 1.0);
  }

  private void assertNoSidewaysScroll(String css, String page) {
    Object widths = browser.script("const t = document.querySelector('" + css + "').shadowRoot.querySelector('#table');"
        + " return t ? [t.scrollWidth, t.clientWidth] : null;");
    assertThat(widths).as(page + " grid's scroller").isNotNull();
    java.util.List<?> pair = (java.util.List<?>) widths;
    assertThat(((Number) pair.get(0)).longValue()).as(page + " grid scrollWidth <= clientWidth at " + Browser.WIDTH + " px")
        .isLessThanOrEqualTo(((Number) pair.get(1)).longValue());
  }

  @Test
  void anUnknownRunIdSaysSo() {
    browser.open("/runs/no-such-run");
    browser.await(Duration.ofSeconds(30), d -> browser.text("#run-state").equals("UNKNOWN"));
    assertThat(browser.text("#run-summary")).isEqualTo("no run with this id");
  }

  @Test
  void aModelPlanPreviewShowsTheLayoutTheMemoryBarsAndTheRejectedAlternatives() {
    browser.open("/models");
    browser.find("#plan-run").click();
    browser.await(Duration.ofSeconds(30), d -> !browser.text("#plan-verdict").isEmpty());
    assertThat(browser.text("#plan-verdict")).isEqualTo("fits");
    assertThat(browser.count("#plan-chart .plan-bar")).isPositive();
    assertThat(browser.count("#plan-rejected")).isEqualTo(1);
    browser.screenshot("models");
  }

  @Test
  void aVmIsStoppedAndStartedFromTheVmsPage() throws Exception {
    String provisioned = provisionThroughApi("browser-pwr1", NODE);
    awaitRunState(provisioned, "SUCCEEDED");

    browser.open("/vms");
    browser.await(Duration.ofSeconds(30), d -> enabled("#stop-browser-pwr1"));
    assertThat(enabled("#start-browser-pwr1")).as("a running VM cannot be started").isFalse();
    browser.find("#stop-browser-pwr1").click();
    browser.await(Duration.ofSeconds(30), d -> browser.path().startsWith("/runs/power-browser-pwr1-"));
    String stopRun = browser.path().substring("/runs/".length());
    browser.await(RUN_TIMEOUT, d -> browser.text("#run-state").equals("SUCCEEDED"));
    assertThat(browser.text("#run-timeline")).contains("shutdown");
    assertThat(vmState("browser-pwr1")).isEqualTo("shutoff");

    browser.open("/vms");
    browser.await(Duration.ofSeconds(30), d -> enabled("#start-browser-pwr1"));
    browser.find("#start-browser-pwr1").click();
    browser.await(Duration.ofSeconds(30), d -> browser.path().startsWith("/runs/power-browser-pwr1-")
        && !browser.path().endsWith(stopRun));
    browser.await(RUN_TIMEOUT, d -> browser.text("#run-state").equals("SUCCEEDED"));
    browser.screenshot("vm-started");
    assertThat(vmState("browser-pwr1")).isEqualTo("running");
    assertThat(jdbc.sql("select action from audit_events where target = 'browser-pwr1' and action like 'vm.%'"
        + " order by at").query(String.class).list()).containsExactly("vm.stop", "vm.start");
  }

  @Test
  void aDeploymentIsLaunchedFromTheModelsPage() {
    browser.open("/models");
    browser.type("#deploy-name", "browser-model1");
    browser.type("#deploy-source", GHOST);
    browser.find("#deploy-source input").sendKeys(Keys.ENTER);
    browser.type("#deploy-checkpoint", "checkpoints/tiny");
    browser.type("#deploy-nodes", GHOST);
    browser.find("#deploy-nodes input").sendKeys(Keys.ENTER);
    browser.screenshot("deploy-form");
    // The multi-select's list stays open after a pick and takes the next click outside it (to
    // close itself), so WebDriver finds the button covered; a click event is what a second click sends.
    browser.script("document.querySelector('#deploy-launch').click();");

    browser.await(Duration.ofSeconds(30), d -> browser.path().startsWith("/runs/deploy-browser-model1-"));
    String runId = browser.path().substring("/runs/".length());
    browser.await(Duration.ofSeconds(60), d -> browser.text("#run-summary").contains("DeployModel"));
    browser.screenshot("deploy-run");
    assertThat(jdbc.sql("select input from runs where id = :id").param("id", runId).query(String.class).single())
        .contains("\"nodes\":[\"" + GHOST + "\"]", "\"checkpoint\":\"checkpoints/tiny\"");
    temporal.newUntypedWorkflowStub(runId).cancel();
  }

  @Test
  void aVmPageShowsItsFactsNetworksAndItsConsoleLive() throws Exception {
    jdbc.sql("insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib, image, nics, addresses)"
        + " values ('browser-con1', 'uuid-browser-con1', :node, 'running', 2, 384, 3, 'tiny',"
        + " '[{\"network\":\"default\",\"mac\":\"52:54:00:aa:bb:01\"}]',"
        + " '[{\"mac\":\"52:54:00:aa:bb:01\",\"ip\":\"192.168.122.77\",\"source\":\"lease\"}]')")
        .param("node", NODE).update();
    java.nio.file.Path log = Files.createDirectories(agentData.resolve("consoles")).resolve("browser-con1.log");
    Files.writeString(log, "novacron-guest: booting\n");

    browser.open("/vms");
    browser.find("#vms a[href='vms/browser-con1']").click();
    browser.await(Duration.ofSeconds(30), d -> browser.path().equals("/vms/browser-con1"));
    markWindow();
    browser.await(Duration.ofSeconds(30), d -> browser.text("#vm-console").contains("novacron-guest: booting"));
    Files.writeString(log, "login: ", java.nio.file.StandardOpenOption.APPEND);
    browser.await(Duration.ofSeconds(30), d -> browser.text("#vm-console").contains("login:"));

    assertThat(windowStillMarked()).as("the console grew without a reload").isTrue();
    assertThat(browser.text("#vm-facts")).contains(NODE, "384 MiB", "3 GiB", "tiny");
    assertThat(browser.text("#vm-networks")).contains("default", "52:54:00:aa:bb:01", "192.168.122.77");
    assertThat(browser.text("#vm-console-status")).contains("serial console on " + NODE);
    assertThat(browser.displayed("#delete-browser-con1")).as("the list's actions, here too").isTrue();
    browser.screenshot("vm-page");
    browser.script("document.querySelector('#vm-console').scrollIntoView();");
    browser.screenshot("vm-console");
  }

  /** Vaadin marks a disabled button with the {@code disabled} attribute. */
  private boolean enabled(String css) {
    return browser.find(css).getAttribute("disabled") == null;
  }

  private String vmState(String vm) {
    return jdbc.sql("select state from vms where name = :n").param("n", vm).query(String.class).single();
  }

  private void awaitRunState(String runId, String state) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      if (jdbc.sql("select count(*) from runs where id = :id and state = :state").param("id", runId)
          .param("state", state).query(Long.class).single() > 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("run " + runId + " never reached " + state);
  }

  private String provisionThroughApi(String name, String node) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/vms"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + operatorToken)
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name
                + "\",\"vcpus\":1,\"memoryMib\":128,\"diskGib\":1,\"node\":\"" + node + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new ObjectMapper().readTree(response.body()).get("runId").asText();
  }

  private void markWindow() {
    browser.script("window.novacronNoReload = 'marked';");
  }

  private boolean windowStillMarked() {
    return "marked".equals(browser.script("return window.novacronNoReload;"));
  }

  /** The agent's first announcement creates the node's row (through NodeWorkflow). */
  private void awaitAnnouncement() throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      if (jdbc.sql("select count(*) from nodes where name = :name").param("name", NODE).query(Long.class).single() > 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("node " + NODE + " never announced itself");
  }
}
