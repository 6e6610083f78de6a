package io.novacron.host.cloudinit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an ISO back with xorriso, the way a test can check what a guest would see. */
final class Iso {
  private static final Pattern VOLUME_ID = Pattern.compile("(?m)^Volume Id\\s*:\\s*(\\S*)\\s*$");
  private static final Pattern FILE = Pattern.compile("(?m)^'/([^']*)'$");

  private Iso() {}

  static boolean xorrisoInstalled() {
    try {
      return new ProcessBuilder("xorriso", "-version").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static String volumeId(Path iso) throws Exception {
    Matcher m = VOLUME_ID.matcher(run("xorriso", "-indev", iso.toString(), "-pvd_info"));
    if (!m.find()) {
      throw new AssertionError("no Volume Id in xorriso -pvd_info of " + iso);
    }
    return m.group(1);
  }

  /** The regular files in the image, by path from its root, without the leading '/'. */
  static List<String> files(Path iso) throws Exception {
    Matcher m = FILE.matcher(run("xorriso", "-indev", iso.toString(), "-find", "/", "-type", "f"));
    List<String> files = new ArrayList<>();
    while (m.find()) {
      files.add(m.group(1));
    }
    return files;
  }

  static String read(Path iso, String name, Path scratch) throws Exception {
    Path out = Files.createTempDirectory(scratch, "extract").resolve(name);
    run("xorriso", "-osirrox", "on", "-indev", iso.toString(), "-extract", "/" + name, out.toString());
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + ": " + out);
    }
    return out;
  }
}
