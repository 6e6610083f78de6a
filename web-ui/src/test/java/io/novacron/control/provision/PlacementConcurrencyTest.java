package io.novacron.control.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.ControlPlaneTest;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.provision.ProvisionVmRequest;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Placement against real PostgreSQL: concurrent reservations must never overbook a node. */
class PlacementConcurrencyTest extends ControlPlaneTest {
  @Autowired PlacementActivitiesImpl placement;
  @Autowired JdbcClient jdbc;

  @Test
  void concurrentReservationsNeverOverbookANode() throws Exception {
    // 1024 MiB and plenty of vCPUs and disk: memory is the limit, room for exactly four 256 MiB VMs.
    jdbc.sql("insert into nodes (name, cpus, memory_mib, storage_free_gib, host_seen_at) "
        + "values ('small', 64, 1024, 1000, now())").update();
    int requests = 12;
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    List<Future<String>> outcomes = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      ProvisionVmRequest request = new ProvisionVmRequest("race-" + i, 1, 256, 1, null, "small");
      String reservation = "run-race-" + i;
      Callable<String> reserve = () -> {
        try {
          return placement.reserve(reservation, request).node();
        } catch (ApplicationFailure e) {
          return e.getType();
        }
      };
      outcomes.add(pool.submit(reserve));
    }
    List<String> results = new ArrayList<>();
    for (Future<String> outcome : outcomes) {
      results.add(outcome.get());
    }
    pool.shutdown();

    assertThat(results).filteredOn("small"::equals).hasSize(4);
    assertThat(results).filteredOn(FailureTypes.NO_CAPACITY::equals).hasSize(requests - 4);
    long reserved = jdbc.sql("select coalesce(sum(memory_mib), 0) from reservations where node = 'small'")
        .query(Long.class).single();
    assertThat(reserved).isEqualTo(1024);
  }

  @Test
  void aRetriedReservationReturnsTheSamePlacementAndReleaseIsIdempotent() {
    jdbc.sql("insert into nodes (name, cpus, memory_mib, storage_free_gib, host_seen_at) "
        + "values ('retry', 4, 4096, 100, now())").update();
    ProvisionVmRequest request = new ProvisionVmRequest("again", 1, 128, 1, null, "retry");
    String first = placement.reserve("run-again", request).node();
    String second = placement.reserve("run-again", request).node();
    assertThat(second).isEqualTo(first);
    assertThat(jdbc.sql("select count(*) from reservations where vm_name = 'again'").query(Long.class).single())
        .isEqualTo(1);
    placement.release("run-again");
    placement.release("run-again");
    assertThat(jdbc.sql("select count(*) from reservations where vm_name = 'again'").query(Long.class).single())
        .isZero();
  }
}
