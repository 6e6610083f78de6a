package io.novacron.bench.migrate;

import io.novacron.transfer.TransferActivitiesImpl;
import io.novacron.workflows.host.HostActivities;
import io.novacron.workflows.migrate.MigrationActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One lab node as its agent would see it ({@link LabNode}, the lab in {@link LabFixture#LAB}), its
 * activities also called through Temporal's activity test environment, heartbeats and all.
 *
 * @param host the host activities through the test environment
 * @param migration the migration activities through the test environment
 * @param impls the implementations registered there, for a workflow test's host-queue worker: host
 *     and migration, and the transfer engine's where the node runs one
 */
record LabTestNode(LabNode node, TestActivityEnvironment env, HostActivities host, MigrationActivities migration,
    Object[] impls) {

  static LabTestNode open(String letter, LabNode.AgentSetup setup) throws IOException {
    LabNode node = LabNode.open(LabFixture.LAB, letter, setup);
    List<Object> impls = new ArrayList<>(List.of(node.host(), node.migration()));
    if (node.transfers() != null) {
      impls.add(new TransferActivitiesImpl(node.transfers()));
    }
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(impls.toArray());
    ActivityOptions options = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(3))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .build();
    return new LabTestNode(node, env, env.newActivityStub(HostActivities.class, options),
        env.newActivityStub(MigrationActivities.class, options), impls.toArray());
  }

  String name() {
    return node.name();
  }

  String uri() {
    return node.uri();
  }

  Path data() {
    return node.data();
  }

  Path console(String vm) {
    return node.console(vm);
  }

  void close() {
    env.close();
    node.close();
  }
}
