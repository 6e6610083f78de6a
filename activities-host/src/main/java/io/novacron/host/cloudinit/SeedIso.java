package io.novacron.host.cloudinit;

import io.novacron.workflows.FieldError;
import io.novacron.workflows.Names;
import io.novacron.workflows.cloudinit.CloudInit;
import io.novacron.workflows.cloudinit.CloudInitValidator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes and removes a VM's cloud-init NoCloud seed: an ISO 9660 image with volume id
 * {@value #VOLUME_ID} holding {@code meta-data}, {@code user-data} and, when given,
 * {@code network-config} (see {@link SeedFiles}). Attached to the guest as a CD-ROM, cloud-init
 * finds it by that label at first boot.
 *
 * <p>Writing is atomic and repeatable: the image is built in a staging directory inside
 * {@code dir} and renamed over {@code <dir>/<vmName>-seed.iso}, so a reader sees the old seed or
 * the new one, never half of one, and a retried activity may simply write again. The same inputs
 * give the same bytes: file dates, owners and modes in the image are fixed.
 */
public final class SeedIso {
  /** The label cloud-init's NoCloud datasource looks for. */
  public static final String VOLUME_ID = "cidata";

  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  /** 2000-01-01T00:00:00Z: any fixed instant makes images reproducible; the guest ignores it. */
  private static final long FIXED_EPOCH_SECONDS = 946_684_800L;
  /** A seed is at most a few hundred KiB: a minute means xorriso is stuck. */
  private static final long TIMEOUT_SECONDS = 60;
  private static final String ISO_IN_STAGING = "seed.iso";

  private static final Logger log = LoggerFactory.getLogger(SeedIso.class);

  private final String xorriso;

  /** Runs {@code xorriso} from the PATH. */
  public SeedIso() {
    this("xorriso");
  }

  /** @param xorriso the xorriso command to run, e.g. an absolute path */
  public SeedIso(String xorriso) {
    this.xorriso = xorriso;
  }

  /** Where a VM's seed lives: {@code <dir>/<vmName>-seed.iso}. */
  public static Path isoPath(Path dir, String vmName) {
    return dir.resolve(checkedName(vmName) + "-seed.iso");
  }

  /**
   * Writes the VM's seed, replacing any earlier one.
   *
   * @param dir an existing directory on the node, e.g. the VM's data directory
   * @param vmName the VM's name ({@link Names#NAME}); the host name where none is asked for
   * @param uuid the VM's UUID, the guest's instance id
   * @param cloudInit what the request asks for; null for an empty user-data
   * @return the seed's path, {@link #isoPath}
   * @throws IllegalArgumentException when the name, the UUID or the cloud-init data is not valid:
   *     the agent checks again what the workflow checked, since the seed lands on a guest's disk
   * @throws XorrisoMissingException when xorriso cannot be run
   * @throws IOException when writing fails; no partial seed and no staging files are left
   */
  public Path write(Path dir, String vmName, String uuid, CloudInit cloudInit)
      throws IOException, InterruptedException {
    Path target = isoPath(dir, vmName);
    if (uuid == null || !UUID.matcher(uuid).matches()) {
      throw new IllegalArgumentException("'" + uuid + "' is not a VM UUID");
    }
    List<FieldError> errors = CloudInitValidator.validate(cloudInit, "cloudInit");
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("cloud-init data for " + vmName + " is not valid: " + errors);
    }
    SeedFiles files = SeedFiles.of(vmName, uuid, cloudInit);

    Path staging = Files.createTempDirectory(dir, stagingPrefix(vmName));
    try {
      List<String> names = new ArrayList<>();
      put(staging, "meta-data", files.metaData(), names);
      put(staging, "user-data", files.userData(), names);
      if (files.networkConfig() != null) {
        put(staging, "network-config", files.networkConfig(), names);
      }
      makeIso(staging, names);
      Path iso = staging.resolve(ISO_IN_STAGING);
      force(iso);
      // Same file system (staging is inside dir), so this is a rename(2): atomic, and it replaces.
      Files.move(iso, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      force(dir);
      return target;
    } finally {
      removeStaging(staging);
    }
  }

  /**
   * Best effort: a staging directory that will not go must not hide the seed's outcome or the
   * error that ended it; {@link #delete} sweeps it later.
   */
  private static void removeStaging(Path staging) {
    try {
      deleteTree(staging);
    } catch (IOException e) {
      log.warn("could not remove the seed staging directory {}: {}", staging, e.toString());
    }
  }

  /**
   * Removes the VM's seed and anything an interrupted {@link #write} left behind. Nothing there is
   * no error.
   */
  public void delete(Path dir, String vmName) throws IOException {
    Files.deleteIfExists(isoPath(dir, vmName));
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, stagingPrefix(vmName) + "*")) {
      for (Path leftover : leftovers) {
        deleteTree(leftover);
      }
    }
  }

  private void makeIso(Path staging, List<String> names) throws IOException, InterruptedException {
    // Relative names, run inside the staging directory: mkisofs reads "a=b" in a path as a graft
    // point, and the node's directory names are not ours to vouch for.
    List<String> command = new ArrayList<>(List.of(
        xorriso, "-as", "mkisofs",
        "-output", ISO_IN_STAGING,
        "-volid", VOLUME_ID,
        "-joliet", "-rock",
        // Fixed owner, modes and dates: same inputs, same bytes, whoever runs the agent.
        "-uid", "0", "-gid", "0", "-file-mode", "0444", "-dir-mode", "0555",
        "--set_all_file_dates", "=" + FIXED_EPOCH_SECONDS));
    command.addAll(names);
    Path log = staging.resolve("xorriso.log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(staging.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // The volume's own creation and modification dates.
    builder.environment().put("SOURCE_DATE_EPOCH", Long.toString(FIXED_EPOCH_SECONDS));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new XorrisoMissingException(xorriso, e);
    }
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(xorriso + " did not finish the seed ISO in " + TIMEOUT_SECONDS + " s");
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
          + Files.readString(log, StandardCharsets.UTF_8).strip());
    }
  }

  private static void put(Path staging, String name, String content, List<String> names) throws IOException {
    Files.writeString(staging.resolve(name), content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    names.add(name);
  }

  /** Flushes a file or directory to disk, so a seed that was renamed in survives a crash. */
  private static void force(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A VM name cannot contain '.', so no VM's staging prefix is another's. */
  private static String stagingPrefix(String vmName) {
    return "." + vmName + ".seed-tmp-";
  }

  private static String checkedName(String vmName) {
    if (vmName == null || !Names.NAME.matcher(vmName).matches()) {
      throw new IllegalArgumentException("'" + vmName + "' is not a VM name");
    }
    return vmName;
  }
}
