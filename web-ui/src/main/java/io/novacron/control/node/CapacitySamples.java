package io.novacron.control.node;

import io.novacron.control.ui.Downsample;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Nodes' capacity over time (table {@code node_capacity_samples}, V12__samples.sql). */
@Repository
public class CapacitySamples {
  private final JdbcClient jdbc;

  CapacitySamples(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A node's capacity at one sampling tick.
   *
   * @param at the tick (see {@link CapacitySampler#tick})
   * @param vcpusUsed vCPUs held by reservations
   * @param memoryUsedMib memory held by reservations
   * @param diskUsedGib storage pool used
   * @param vms VMs recorded on the node
   */
  public record Sample(String node, Instant at, long vcpusUsed, long vcpusTotal, long memoryUsedMib,
      long memoryTotalMib, long diskUsedGib, long diskTotalGib, long vms) {}

  /** Stores {@code sample}; one already stored for its node and tick (another replica) wins. */
  public boolean record(Sample s) {
    return jdbc.sql("""
            insert into node_capacity_samples (node, at, vcpus_used, vcpus_total, memory_used_mib, memory_total_mib,
                disk_used_gib, disk_total_gib, vms)
            values (:node, :at, :vu, :vt, :mu, :mt, :du, :dt, :vms)
            on conflict (node, at) do nothing""")
        .param("node", s.node()).param("at", Timestamp.from(s.at()))
        .param("vu", s.vcpusUsed()).param("vt", s.vcpusTotal()).param("mu", s.memoryUsedMib())
        .param("mt", s.memoryTotalMib()).param("du", s.diskUsedGib()).param("dt", s.diskTotalGib())
        .param("vms", s.vms())
        .update() == 1;
  }

  /** Node {@code node}'s samples since {@code since}, oldest first, thinned to {@link Downsample#MAX_POINTS}. */
  public List<Sample> since(String node, Instant since) {
    List<Sample> all = jdbc.sql("""
            select node, at, vcpus_used, vcpus_total, memory_used_mib, memory_total_mib, disk_used_gib, disk_total_gib, vms
            from node_capacity_samples where node = :node and at >= :since order by at""")
        .param("node", node).param("since", Timestamp.from(since))
        .query((rs, i) -> new Sample(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getLong(3), rs.getLong(4),
            rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)))
        .list();
    return Downsample.evenly(all, Downsample.MAX_POINTS);
  }

  /** Deletes the samples taken before {@code cutoff}; returns how many. */
  public int deleteBefore(Instant cutoff) {
    return jdbc.sql("delete from node_capacity_samples where at < :cutoff").param("cutoff", Timestamp.from(cutoff)).update();
  }
}
