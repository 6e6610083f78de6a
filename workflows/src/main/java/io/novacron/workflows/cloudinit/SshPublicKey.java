package io.novacron.workflows.cloudinit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a string is one OpenSSH public key line, {@code type base64 [comment]}, as in a
 * {@code .pub} file or an {@code authorized_keys} line without options. The base64 part must
 * decode to the key's wire form (RFC 4253 section 6.6 and its successors): a sequence of
 * length-prefixed fields, the first of which repeats the type. That is what tells a real key from
 * text that merely starts with {@code ssh-rsa}.
 */
public final class SshPublicKey {
  /** The types accepted, in the order the error messages list them. ssh-dss is gone from OpenSSH. */
  public static final List<String> TYPES = List.of(
      "ssh-ed25519",
      "ecdsa-sha2-nistp256",
      "ecdsa-sha2-nistp384",
      "ecdsa-sha2-nistp521",
      "sk-ssh-ed25519@openssh.com",
      "sk-ecdsa-sha2-nistp256@openssh.com",
      "ssh-rsa");

  private static final Pattern FIELD_SEPARATOR = Pattern.compile("[ \\t]+");

  private SshPublicKey() {}

  /**
   * What is wrong with a key line, as a message saying how to fix it; empty when it is a public key.
   * The line is already stripped of surrounding white space. Never echoes key material back.
   */
  public static Optional<String> problem(String line) {
    if (line.contains("-----BEGIN") || line.contains("PRIVATE KEY")) {
      return Optional.of("is a private key: send the public key instead (the .pub file, e.g."
          + " ~/.ssh/id_ed25519.pub), and treat this private key as exposed");
    }
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      return Optional.of("must be one line: give each key as its own list entry");
    }
    if (line.chars().anyMatch(c -> c != '\t' && Character.isISOControl(c))) {
      return Optional.of("contains control characters: copy the line from the .pub file as text");
    }
    String[] fields = FIELD_SEPARATOR.split(line, 3);
    String type = fields[0];
    if (!TYPES.contains(type)) {
      return Optional.of("'" + Text.abbreviate(type, 40) + "' is not an accepted key type: the line must"
          + " start with one of " + String.join(", ", TYPES)
          + " (authorized_keys options such as from= or command= are not accepted)");
    }
    if (fields.length < 2) {
      return Optional.of("has no key data after '" + type + "': copy the whole line from the .pub file");
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(fields[1]);
    } catch (IllegalArgumentException e) {
      return Optional.of("the key data after '" + type + "' is not base64: copy the whole line from the"
          + " .pub file");
    }
    List<byte[]> parts = wireFields(blob);
    if (parts == null || parts.isEmpty() || !type.equals(ascii(parts.get(0)))) {
      return Optional.of("the key data does not encode a " + type + " key: copy the whole line from"
          + " the .pub file, with its type and data unchanged");
    }
    if (!wellFormed(type, parts)) {
      return Optional.of("the key data is not a complete " + type + " key (truncated or altered): copy"
          + " the whole line from the .pub file");
    }
    return Optional.empty();
  }

  /** Splits a key blob into its uint32-length-prefixed fields; null when the lengths do not add up. */
  private static List<byte[]> wireFields(byte[] blob) {
    List<byte[]> parts = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(blob);
    while (in.hasRemaining()) {
      if (in.remaining() < 4) {
        return null;
      }
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        return null;
      }
      byte[] part = new byte[length];
      in.get(part);
      parts.add(part);
    }
    return parts;
  }

  /** The field count and fixed sizes each type's wire form has (PROTOCOL.u2f for the sk- types). */
  private static boolean wellFormed(String type, List<byte[]> parts) {
    return switch (type) {
      // type, 32-byte public key
      case "ssh-ed25519" -> parts.size() == 2 && parts.get(1).length == 32;
      // type, 32-byte public key, application
      case "sk-ssh-ed25519@openssh.com" -> parts.size() == 3 && parts.get(1).length == 32;
      // type, curve name, uncompressed point
      case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" ->
          parts.size() == 3 && ecdsaPoint(type, parts.get(1), parts.get(2));
      // type, curve name, point, application
      case "sk-ecdsa-sha2-nistp256@openssh.com" ->
          parts.size() == 4 && ecdsaPoint("ecdsa-sha2-nistp256", parts.get(1), parts.get(2));
      // type, public exponent, modulus
      case "ssh-rsa" -> parts.size() == 3 && parts.get(1).length > 0 && parts.get(2).length > 0;
      default -> false;
    };
  }

  private static boolean ecdsaPoint(String type, byte[] curve, byte[] point) {
    String name = type.substring("ecdsa-sha2-".length());
    int coordinate = switch (name) {
      case "nistp256" -> 32;
      case "nistp384" -> 48;
      default -> 66;
    };
    return name.equals(ascii(curve)) && point.length == 1 + 2 * coordinate && point[0] == 0x04;
  }

  private static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }
}
