package io.novacron.host.libvirt;

import io.novacron.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;

/** Finding a node's domains by name, the way every host activity needs it. */
public final class Domains {
  private final LibvirtSession libvirt;
  private final String node;

  public Domains(LibvirtSession libvirt, String node) {
    this.libvirt = libvirt;
    this.node = node;
  }

  /** The domain of that name, or null where none is defined. */
  public Domain lookup(String vmName) throws LibvirtException {
    return libvirt.call(c -> {
      try {
        return c.domainLookupByName(vmName);
      } catch (LibvirtException e) {
        if (LibvirtErrors.isNoDomain(e)) {
          return null;
        }
        throw e;
      }
    });
  }

  /** The domain of that name; a non-retryable DomainNotRunning failure where none is defined. */
  public Domain require(String vmName) throws LibvirtException {
    Domain domain = lookup(vmName);
    if (domain == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no domain named '" + vmName + "' on node " + node, FailureTypes.DOMAIN_NOT_RUNNING);
    }
    return domain;
  }

  /** {@code VIR_DOMAIN_RUNNING} becomes {@code running}. */
  public static String stateName(DomainState state) {
    return state.name().substring("VIR_DOMAIN_".length()).toLowerCase();
  }
}
