package io.novacron.workflows.migrate;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a live migration does when it runs past its completion timeout or stalls. */
public enum TimeoutAction {
  /** Abort the job; the VM keeps running on the source. */
  @JsonProperty("abort")
  ABORT,
  /** Pause the guest so the remaining memory copies without being re-dirtied; it resumes on the target. */
  @JsonProperty("force-complete")
  FORCE_COMPLETE
}
