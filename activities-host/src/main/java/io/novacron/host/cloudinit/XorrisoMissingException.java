package io.novacron.host.cloudinit;

import java.io.IOException;

/** The node cannot make seed ISOs: xorriso is not installed (or not runnable). Retrying will not help. */
public class XorrisoMissingException extends IOException {
  public XorrisoMissingException(String command, IOException cause) {
    super("cannot run '" + command + "' to make a cloud-init seed ISO: install xorriso"
        + " (apt-get install xorriso) on this node", cause);
  }
}
