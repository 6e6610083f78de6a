package io.novacron.workflows.host;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A domain as libvirt reports it.
 *
 * @param vmName domain name
 * @param uuid domain UUID
 * @param state libvirt state name in lower case ({@code running}, {@code shutoff}, ...), or
 *     {@code absent} when no such domain is defined
 * @param domainType {@code kvm}, {@code qemu} or {@code test}
 * @param consoleLog path of the serial console log, null where the domain has none
 */
public record DomainStatus(
    String vmName, String uuid, String state, String domainType, String consoleLog) {
  @JsonIgnore
  public boolean isRunning() {
    return "running".equals(state);
  }
}
