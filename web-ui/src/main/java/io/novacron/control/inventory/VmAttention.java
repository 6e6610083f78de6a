package io.novacron.control.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * VMs that need an operator: those no node announces any more ({@code missing}) and those a run
 * waits about (a run in ATTENTION whose subject is the VM). The VMs page badges them, the
 * Overview counts and names them.
 */
@Service
public class VmAttention {
  private final JdbcClient jdbc;

  VmAttention(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * One VM that needs attention.
   *
   * @param vm the VM's name
   * @param missing whether the inventory has it missing
   * @param waitingRuns runs in ATTENTION about it, oldest first
   */
  public record Need(String vm, boolean missing, List<String> waitingRuns) {
    /** Why, as the dashboard says it. */
    public String reason() {
      List<String> reasons = new ArrayList<>();
      if (missing) {
        reasons.add("missing: no node announces its domain");
      }
      waitingRuns.forEach(run -> reasons.add("run " + run + " waits for an operator"));
      return String.join("; ", reasons);
    }
  }

  /** Every VM that needs attention, by name. */
  public Map<String, Need> byVm() {
    Map<String, Need> needs = new LinkedHashMap<>();
    jdbc.sql("""
            select name as vm, null as run, created_at as since from vms where state = :missing
            union all
            select subject, id, started_at from runs where state = 'ATTENTION' and subject is not null
            order by vm, since""")
        .param("missing", VmRow.MISSING)
        .query((rs, i) -> {
          String vm = rs.getString("vm");
          String run = rs.getString("run");
          Need known = needs.getOrDefault(vm, new Need(vm, false, List.of()));
          List<String> runs = new ArrayList<>(known.waitingRuns());
          if (run != null) {
            runs.add(run);
          }
          needs.put(vm, new Need(vm, known.missing() || run == null, List.copyOf(runs)));
          return vm;
        })
        .list();
    return needs;
  }
}
