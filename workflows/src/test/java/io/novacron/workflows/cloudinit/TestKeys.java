package io.novacron.workflows.cloudinit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Public keys made with ssh-keygen for these tests (their private halves were thrown away). */
final class TestKeys {
  static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE5HzMi+0Z/OBvZNgGuGPvmur6eNIVN7QMhE6FtzyyFB alice@laptop";
  static final String RSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC2Ntj9lo4ORCqEj5b62ai8ttjakqyePhYbsPpd3/woYIkfxIX+ZhRGfxD7q4Qk/KvTPGYe71h6PbC7oyPxlJpaBG2IOLrDlDpeiHPX7tMGTAl5k6xT0C3uj185DbZScuQRbV8OsYOKUaPq+vqQ6xcIpsqs46qOTo9bOM0oXLo4EHTto8ikXqgrp/Fd6CJngg34coBIeqR+2HE09mnKOYXr+HBdUOw1qEa6rqbNyh6cr+MKm4LVodBF0FJV9gYe0y7SvvkbAt9vmOWz9kEHURZ5Jsc6B8miB8pYwQk90vr7yknfOspNMJ8IRHZgfyfGDurboHm8wgzCuI7ZZc9uUJYj bob";
  static final String ECDSA_256 = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBPmwQV1CHK2N/z6XZ/U2EtUbvu5BCEqJ0a7BYj/FcGC/nuLxpkKlBwn0FgjXMScPWrtSmZUUckncbnpR6p6hwmE= ec256";
  static final String ECDSA_384 = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBIMluuIdmr1W9DTV8/Jn8t1F8L3HPTdi53uztq8ZDJtaOdelBAEvizuDYOjrNaUc6gM0X8Qw9yE6uk9la2/uL97F5ZX/feJbZJVkCRyK6igR7J9oDF4U3GaeLI17g4TpTA== ec384";
  static final String ECDSA_521 = "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAC3lrm+Zyfvvqas8uAF9JwMVyyVrck0U/SPeZGy/Dt/dhBg++Fh0Je1RezKBZuK1hx6C9PcrFkGt3CjA/9PWmTBXwAW34Ux6DESSY2Wl7srY9jRDnJ9zevAwSrvicNUzzJnjNG8fa8yFLhInPDfdj55Y/ux2h/7E+I9qK/tBg1N56iSrg== ec521";

  private TestKeys() {}

  /** A key line whose base64 is the given length-prefixed fields: for types no key file here has. */
  static String line(String type, byte[]... fields) {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    for (byte[] field : fields) {
      blob.writeBytes(ByteBuffer.allocate(4).putInt(field.length).array());
      blob.writeBytes(field);
    }
    return type + " " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " test";
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The base64 field of a key line. */
  static String data(String line) {
    return line.split(" ")[1];
  }
}
