package io.novacron.host.migrate;

import java.util.HashMap;
import java.util.Map;
import org.libvirt.DomainJobStats;
import org.libvirt.TypedParameter;

/**
 * libvirt's job statistics as plain numbers ({@code virDomainGetJobStats}): the thin value the
 * monitor works with, so that the libvirt types stay in this class.
 *
 * @param type libvirt job type: 0 none, 1 bounded, 2 unbounded, 3 completed, 4 failed, 5 cancelled
 * @param values every numeric field by libvirt's name ({@code data_remaining}, {@code downtime}, ...)
 */
record JobStats(int type, Map<String, Long> values) {
  static final int NONE = 0;
  /** {@code VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT}, the {@code operation} of an outgoing migration. */
  static final long MIGRATION_OUT = 5;
  /** {@code VIR_DOMAIN_JOB_OPERATION_SAVE}. */
  static final long SAVE = 2;
  /** {@code VIR_DOMAIN_JOB_OPERATION_RESTORE}. */
  static final long RESTORE = 3;

  static JobStats of(DomainJobStats stats) {
    Map<String, Long> values = new HashMap<>();
    if (stats.stats != null) {
      for (TypedParameter p : stats.stats) {
        try {
          values.put(p.field, Long.parseLong(p.getValueAsString()));
        } catch (NumberFormatException e) {
          // Not a count (a string or a double): the monitor needs none of those.
        }
      }
    }
    return new JobStats(stats.type, values);
  }

  boolean active() {
    return type == 1 || type == 2;
  }

  long get(String field) {
    return values.getOrDefault(field, -1L);
  }

  /** The dirty rate in bytes per second (libvirt reports pages per second). */
  long dirtyRateBytesPerSec() {
    long pages = get("memory_dirty_rate");
    long pageSize = values.getOrDefault("memory_page_size", 4096L);
    return pages < 0 ? -1 : pages * pageSize;
  }
}
