package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code novacron vm create} with networks and cloud-init, against a loopback control plane. */
class VmCreateCommandTest {
  private LoopbackControlPlane api;

  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    api = new LoopbackControlPlane((method, path, body) ->
        new LoopbackControlPlane.Answer(202, "{\"runId\":\"provision-web1-0a1b2c3d\"}"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void networksAndCloudInitFilesBecomeTheRequest() throws Exception {
    Path keys = Files.writeString(dir.resolve("keys"),
        "# laptop\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey1 me@laptop\n\nssh-rsa AAAAB3Key2 me@desk\n");
    Path userData = Files.writeString(dir.resolve("user-data"), "#cloud-config\npackages: [htop]\n");

    assertThat(api.cli("vm", "create", "--name=web1", "--vcpus=2", "--memory-mib=1024", "--disk-gib=4",
        "--image=debian-12", "--network=default, lab", "--hostname=web-one",
        "--ssh-key-file=" + keys, "--user-data-file=" + userData)).isZero();

    assertThat(api.requests()).containsExactly("POST /api/v1/vms {\"name\":\"web1\",\"vcpus\":2,"
        + "\"memoryMib\":1024,\"diskGib\":4,\"image\":\"debian-12\",\"networks\":[\"default\",\"lab\"],"
        + "\"cloudInit\":{\"hostname\":\"web-one\",\"sshKeys\":[\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey1 me@laptop\","
        + "\"ssh-rsa AAAAB3Key2 me@desk\"],\"userData\":\"#cloud-config\\npackages: [htop]\\n\"}}");
    assertThat(api.out()).contains("provision-web1-0a1b2c3d");
  }

  @Test
  void aMissingOrOversizedFileIsNamedAndNothingIsSent() throws Exception {
    Path big = Files.write(dir.resolve("big"), new byte[(int) VmCreateBody.MAX_FILE_BYTES + 1]);

    String[] sizes = {"--vcpus=1", "--memory-mib=512", "--disk-gib=2"};
    assertThat(api.cli(with(sizes, "vm", "create", "--name=web1", "--ssh-key-file=" + dir.resolve("absent"))))
        .isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli(with(sizes, "vm", "create", "--name=web1", "--user-data-file=" + big)))
        .isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli(with(sizes, "vm", "create", "--name=web1", "--nics=2"))).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("vm", "create", "--name=web1", "--vcpus=two")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("vm", "create", "--name=web1")).isEqualTo(NovacronCli.EXIT_USAGE);

    assertThat(api.requests()).isEmpty();
    assertThat(api.err()).contains("--ssh-key-file " + dir.resolve("absent") + " cannot be read",
        "--user-data-file " + big + " is over 256 KiB", "Unknown option: '--nics=2'",
        "Invalid value for option '--vcpus': 'two' is not an int",
        "Missing required options: '--vcpus=N', '--memory-mib=MIB', '--disk-gib=GIB'");
  }

  private static String[] with(String[] more, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }
}
