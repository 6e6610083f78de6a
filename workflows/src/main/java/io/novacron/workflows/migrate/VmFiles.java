package io.novacron.workflows.migrate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of a VM's files a node's agent holds in its data directory.
 *
 * @param disk the root disk in the agent's pool
 * @param overlay the live pre-copy overlay on top of it
 * @param savedState warm mode's saved memory state
 * @param console the serial console log
 */
public record VmFiles(boolean disk, boolean overlay, boolean savedState, boolean console) {
  public static final VmFiles NONE = new VmFiles(false, false, false, false);

  @JsonIgnore
  public boolean isEmpty() {
    return !disk && !overlay && !savedState && !console;
  }

  /** The names of the files present: {@code disk, overlay}. */
  @JsonIgnore
  public List<String> names() {
    List<String> names = new ArrayList<>();
    if (disk) {
      names.add("disk");
    }
    if (overlay) {
      names.add("overlay");
    }
    if (savedState) {
      names.add("saved state");
    }
    if (console) {
      names.add("console log");
    }
    return names;
  }
}
