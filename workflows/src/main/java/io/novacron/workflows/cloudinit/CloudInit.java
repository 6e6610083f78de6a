package io.novacron.workflows.cloudinit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Objects;

/**
 * What a VM's guest learns at first boot through cloud-init's NoCloud seed. Every part is optional;
 * check it with {@link CloudInitValidator} before using it. In a provisioning request:
 *
 * <pre>{@code
 * "cloudInit": {
 *   "hostname": "web-1.example.internal",
 *   "sshKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG... alice@laptop"],
 *   "userData": "#cloud-config\npackages: [nginx]\n",
 *   "networkConfig": "version: 2\nethernets:\n  eth0:\n    dhcp4: true\n"
 * }
 * }</pre>
 *
 * @param userData a {@code #cloud-config} YAML document or a {@code #!} script; null or blank for
 *     none
 * @param sshKeys OpenSSH public key lines ({@code type base64 [comment]}); null or empty for none
 * @param hostname the guest's RFC 1123 host name; null or blank for the VM's name
 * @param networkConfig a cloud-init network config, version 1 or 2, YAML; null or blank to leave
 *     the guest's default (DHCP on the first interface)
 */
public record CloudInit(String userData, List<String> sshKeys, String hostname, String networkConfig) {

  /** True when nothing is asked for: no seed is needed. */
  @JsonIgnore
  public boolean isEmpty() {
    return userDataOrNull() == null
        && (sshKeys == null || sshKeys.isEmpty())
        && hostnameOrNull() == null
        && networkConfigOrNull() == null;
  }

  /** The user-data, or null where none is given. */
  public String userDataOrNull() {
    return blankToNull(userData);
  }

  /** The host name, or null where the guest should take the VM's name. */
  public String hostnameOrNull() {
    return blankToNull(hostname);
  }

  /** The network config, or null where the guest keeps its default. */
  public String networkConfigOrNull() {
    return blankToNull(networkConfig);
  }

  /**
   * The key lines without surrounding white space (a key pasted from a {@code .pub} file keeps its
   * trailing newline), never null. Meant for a validated value, where no entry is null; a null
   * entry is skipped rather than thrown on.
   */
  public List<String> sshKeysOrEmpty() {
    return sshKeys == null
        ? List.of()
        : sshKeys.stream().filter(Objects::nonNull).map(String::strip).toList();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
