package io.novacron.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of {@code POST /api/v1/vms} from {@code vm create}'s options. The sizes, name,
 * image and node pass as they are (the control plane validates them and names the field); the
 * options that read files read them here, since the control plane cannot see the operator's
 * files: {@code --ssh-key-file} (an {@code authorized_keys}-style file: one key a line, blank
 * lines and {@code #} comments skipped) and {@code --user-data-file} (a cloud-config).
 */
final class VmCreateBody {
  /** A file the CLI reads for the request is refused above this size (the control plane's seed limit is lower). */
  static final long MAX_FILE_BYTES = 256 * 1024;

  /** An option the command line cannot turn into a request; the message names it. */
  static final class BadOption extends RuntimeException {
    BadOption(String message) {
      super(message);
    }
  }

  private VmCreateBody() {}

  /**
   * @throws BadOption for an unknown option or an unreadable or oversized file, naming it
   */
  static Map<String, Object> from(Map<String, String> options) {
    Map<String, Object> body = new LinkedHashMap<>();
    Map<String, Object> cloudInit = new LinkedHashMap<>();
    for (var entry : options.entrySet()) {
      String value = entry.getValue();
      switch (entry.getKey()) {
        case "name", "image", "node" -> body.put(entry.getKey(), value);
        case "vcpus" -> body.put("vcpus", NovacronCli.number(value));
        case "memory-mib" -> body.put("memoryMib", NovacronCli.number(value));
        case "disk-gib" -> body.put("diskGib", NovacronCli.number(value));
        case "network" -> body.put("networks",
            Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
        case "hostname" -> cloudInit.put("hostname", value);
        case "ssh-key-file" -> cloudInit.put("sshKeys", keys(read("--ssh-key-file", value)));
        case "user-data-file" -> cloudInit.put("userData", read("--user-data-file", value));
        default -> throw new BadOption("vm create has no option --" + entry.getKey());
      }
    }
    if (!cloudInit.isEmpty()) {
      body.put("cloudInit", cloudInit);
    }
    return body;
  }

  private static List<String> keys(String file) {
    List<String> keys = new ArrayList<>();
    for (String line : file.split("\n")) {
      String key = line.strip();
      if (!key.isEmpty() && !key.startsWith("#")) {
        keys.add(key);
      }
    }
    return keys;
  }

  private static String read(String option, String path) {
    Path file = Path.of(path);
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new BadOption(option + " " + path + " is over " + MAX_FILE_BYTES / 1024 + " KiB");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadOption(option + " " + path + " cannot be read: " + e.getMessage());
    }
  }
}
