package io.novacron.workflows.cloudinit;

import io.novacron.workflows.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Checks a {@link CloudInit} from a request. Pure. Everything in it is untrusted and ends up on a
 * disk the guest reads as root, so sizes are bounded, YAML is parsed with {@link SafeYaml}'s
 * limits, keys must be real public keys and the host name must be one a guest can take. Catching
 * these here answers 400 at once, instead of a guest that boots without its keys.
 */
public final class CloudInitValidator {
  public static final int MAX_USER_DATA_BYTES = 64 * 1024;
  public static final int MAX_NETWORK_CONFIG_BYTES = 16 * 1024;
  public static final int MAX_SSH_KEYS = 32;
  public static final int MAX_SSH_KEY_BYTES = 16 * 1024;
  /** userData, networkConfig, sshKeys and hostname together: what the seed may carry. */
  public static final int MAX_SEED_BYTES = 256 * 1024;
  public static final int MAX_HOSTNAME_LENGTH = 253;

  /** cloud-init's marker for a cloud-config document; it must open the first line. */
  public static final String CLOUD_CONFIG_HEADER = "#cloud-config";

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private CloudInitValidator() {}

  /**
   * All problems with {@code cloudInit}, empty when it is valid or absent (null).
   *
   * @param prefix the path of the object in the request, e.g. {@code cloudInit}: fields are named
   *     {@code cloudInit.userData}, {@code cloudInit.sshKeys[2]}; empty for bare names
   */
  public static List<FieldError> validate(CloudInit cloudInit, String prefix) {
    List<FieldError> errors = new ArrayList<>();
    if (cloudInit == null) {
      return errors;
    }
    String at = prefix == null || prefix.isEmpty() ? "" : prefix + ".";
    checkUserData(cloudInit.userDataOrNull(), at + "userData", errors);
    checkNetworkConfig(cloudInit.networkConfigOrNull(), at + "networkConfig", errors);
    long keyBytes = checkSshKeys(cloudInit.sshKeys(), at + "sshKeys", errors);
    checkHostname(cloudInit.hostnameOrNull(), at + "hostname", errors);

    long total = Text.utf8Bytes(cloudInit.userDataOrNull()) + Text.utf8Bytes(cloudInit.networkConfigOrNull())
        + keyBytes + Text.utf8Bytes(cloudInit.hostnameOrNull());
    if (total > MAX_SEED_BYTES) {
      errors.add(new FieldError(at.isEmpty() ? "cloudInit" : prefix, "userData, networkConfig, sshKeys and"
          + " hostname add up to " + total + " bytes; at most " + MAX_SEED_BYTES
          + " bytes (256 KiB) in all: send fewer keys or a shorter userData"));
    }
    return errors;
  }

  private static void checkUserData(String userData, String field, List<FieldError> errors) {
    if (userData == null) {
      return;
    }
    long size = Text.utf8Bytes(userData);
    if (size > MAX_USER_DATA_BYTES) {
      errors.add(new FieldError(field, "is " + size + " bytes; at most " + MAX_USER_DATA_BYTES
          + " bytes (64 KiB): install large files through the image or fetch them from the guest"));
      return;
    }
    if (userData.startsWith("#!")) {
      return; // a script: cloud-init runs it as it is, there is nothing to parse
    }
    if (!userData.startsWith(CLOUD_CONFIG_HEADER)) {
      errors.add(new FieldError(field, "must start with '" + CLOUD_CONFIG_HEADER + "' on its first line"
          + " (a YAML mapping of cloud-config keys) or with '#!' (a script); other cloud-init formats"
          + " (MIME, #include, gzip) are not accepted"));
      return;
    }
    Object document;
    try {
      document = SafeYaml.load(userData, MAX_USER_DATA_BYTES);
    } catch (YAMLException e) {
      errors.add(new FieldError(field, SafeYaml.describe(e)));
      return;
    }
    // An empty document after the header is fine: cloud-init treats it as no config.
    if (document != null && !(document instanceof Map)) {
      errors.add(new FieldError(field, "must be a YAML mapping of cloud-config keys after '"
          + CLOUD_CONFIG_HEADER + "' (e.g. 'packages: [nginx]'), was " + kind(document)));
    }
  }

  private static void checkNetworkConfig(String networkConfig, String field, List<FieldError> errors) {
    if (networkConfig == null) {
      return;
    }
    long size = Text.utf8Bytes(networkConfig);
    if (size > MAX_NETWORK_CONFIG_BYTES) {
      errors.add(new FieldError(field, "is " + size + " bytes; at most " + MAX_NETWORK_CONFIG_BYTES
          + " bytes (16 KiB)"));
      return;
    }
    Object document;
    try {
      document = SafeYaml.load(networkConfig, MAX_NETWORK_CONFIG_BYTES);
    } catch (YAMLException e) {
      errors.add(new FieldError(field, SafeYaml.describe(e)));
      return;
    }
    String shape = "a YAML mapping with 'version: 1' or 'version: 2' at the top, or under a top-level"
        + " 'network:' key";
    if (!(document instanceof Map<?, ?> map)) {
      errors.add(new FieldError(field, "must be " + shape + ", was " + kind(document)));
      return;
    }
    if (map.containsKey("network")) {
      if (!(map.get("network") instanceof Map<?, ?> inner)) {
        errors.add(new FieldError(field, "'network:' must hold " + shape + ", was " + kind(map.get("network"))));
        return;
      }
      map = inner;
    }
    Object version = map.get("version");
    if (!(version instanceof Integer v && (v == 1 || v == 2))) {
      errors.add(new FieldError(field, "must say 'version: 1' or 'version: 2' (a number), "
          + (version == null ? "has no version" : "was " + Text.abbreviate(String.valueOf(version), 20))));
    }
  }

  /** Checks the keys; returns their size in bytes, for the seed's total. */
  private static long checkSshKeys(List<String> keys, String field, List<FieldError> errors) {
    if (keys == null) {
      return 0;
    }
    if (keys.size() > MAX_SSH_KEYS) {
      errors.add(new FieldError(field, "has " + keys.size() + " keys; at most " + MAX_SSH_KEYS));
    }
    long total = 0;
    for (int i = 0; i < keys.size(); i++) {
      String name = field + "[" + i + "]";
      String key = keys.get(i);
      if (key == null || key.isBlank()) {
        errors.add(new FieldError(name, "is empty: give an OpenSSH public key line, e.g."
            + " 'ssh-ed25519 AAAA... user@host', or drop the entry"));
        continue;
      }
      long size = Text.utf8Bytes(key);
      total += size;
      if (size > MAX_SSH_KEY_BYTES) {
        errors.add(new FieldError(name, "is " + size + " bytes; at most " + MAX_SSH_KEY_BYTES
            + " bytes (16 KiB) per key"));
        continue;
      }
      SshPublicKey.problem(key.strip()).ifPresent(p -> errors.add(new FieldError(name, p)));
    }
    return total;
  }

  private static void checkHostname(String hostname, String field, List<FieldError> errors) {
    if (hostname == null) {
      return;
    }
    if (!isHostname(hostname)) {
      errors.add(new FieldError(field, "'" + Text.abbreviate(hostname, 64) + "' is not an RFC 1123 host"
          + " name: use dot-separated labels of 1-63 lower-case letters, digits and '-', not starting"
          + " or ending with '-', at most " + MAX_HOSTNAME_LENGTH + " characters in all"));
    }
  }

  /** RFC 1123 host name, lower case, no trailing dot. */
  static boolean isHostname(String hostname) {
    if (hostname.length() > MAX_HOSTNAME_LENGTH) {
      return false;
    }
    // -1: keep empty labels ("a..b", "a.") so they fail.
    for (String label : hostname.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  private static String kind(Object value) {
    if (value == null) {
      return "empty";
    }
    if (value instanceof List) {
      return "a list";
    }
    if (value instanceof String) {
      return "a string";
    }
    return "a " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
