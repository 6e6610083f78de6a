package io.novacron.host.libvirt;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.host.DomainStatus;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;

/**
 * A node's domains as every host activity sees them: found by name, powered off, and reported as
 * a {@link DomainStatus} with the console log the agent keeps for each of them.
 */
public final class Domains {
  /** libvirt's VIR_DOMAIN_XML_INACTIVE, for {@code getXMLDesc}: the persistent definition of a domain. */
  public static final int XML_INACTIVE = 2;

  private final LibvirtSession libvirt;
  private final String node;
  private final String domainType;
  private final Path consoles;

  /**
   * @param node the node's name, for messages
   * @param domainType the domain type the node's guests get, reported in every status
   * @param consoles the directory holding one serial-console log per domain
   */
  public Domains(LibvirtSession libvirt, String node, String domainType, Path consoles) {
    this.libvirt = libvirt;
    this.node = node;
    this.domainType = domainType;
    this.consoles = consoles.toAbsolutePath();
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

  /** The serial-console log of a domain of that name. */
  public Path consoleLog(String vmName) {
    return consoles.resolve(vmName + ".log");
  }

  /** The domain as libvirt reports it now. */
  public DomainStatus status(Domain domain) throws LibvirtException {
    String name = domain.getName();
    return new DomainStatus(name, domain.getUUIDString(), state(domain), domainType, consoleLog(name).toString());
  }

  /** The status of a name no domain has. */
  public DomainStatus absent(String vmName) {
    return new DomainStatus(vmName, null, "absent", domainType, null);
  }

  /** Powers off a running domain; one that stopped between the check and the call is fine too. */
  public static void destroyIfActive(Domain domain) throws LibvirtException {
    if (domain.isActive() == 0) {
      return;
    }
    try {
      domain.destroy();
    } catch (LibvirtException e) {
      if (!LibvirtErrors.isNotRunning(e)) {
        throw e;
      }
    }
  }

  /** The domain's state in lower case: {@code running}, {@code shutoff}, ... */
  public static String state(Domain domain) throws LibvirtException {
    return stateName(domain.getInfo().state);
  }

  /** {@code VIR_DOMAIN_RUNNING} becomes {@code running}. */
  public static String stateName(DomainState state) {
    return state.name().substring("VIR_DOMAIN_".length()).toLowerCase();
  }
}
