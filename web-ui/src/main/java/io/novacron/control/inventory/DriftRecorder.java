package io.novacron.control.inventory;

import io.novacron.control.audit.Actor;
import io.novacron.control.audit.AuditEntry;
import io.novacron.control.audit.AuditLog;
import io.novacron.control.audit.Outcome;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes down a difference the reconciliation found between a VM's record and libvirt: on the VM
 * row ({@code drift}, {@code drift_at}), in the audit trail (the system as actor, action
 * {@value #ACTION}) and in the log, as Nova logs its power-state syncs. Callers record a drift
 * only when the record actually changes (or, for a note, when the sentence is new), which keeps a
 * repeated announcement from adding anything.
 */
@Component
class DriftRecorder {
  static final String ACTION = "vm.drift";
  private static final Logger log = LoggerFactory.getLogger(DriftRecorder.class);

  private final JdbcClient jdbc;
  private final AuditLog audit;
  private final Clock clock;

  DriftRecorder(JdbcClient jdbc, AuditLog audit, Clock clock) {
    this.jdbc = jdbc;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Records {@code sentence} for {@code vmName}.
   *
   * @param requestId names the announcement that showed it, so that its drifts can be found together
   */
  void record(String vmName, String sentence, String requestId) {
    Instant now = clock.instant();
    jdbc.sql("update vms set drift = :drift, drift_at = :at where name = :name")
        .param("name", vmName).param("drift", sentence).param("at", Timestamp.from(now))
        .update();
    audit.record(new AuditEntry(now, Actor.SYSTEM, ACTION, vmName, Outcome.ACCEPTED, null, sentence, requestId,
        null));
    log.warn("inventory drift: {}", sentence);
  }
}
