package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code novacron image register|list|get|delete}: the image library's REST API from the shell.
 * ({@code image build} is the launcher's, {@code starter/bin/novacron}: it runs debootstrap on this
 * machine; it is listed here so that the help shows it.)
 */
@Command(name = "image", aliases = "images", mixinStandardHelpOptions = true,
    description = "Register, list, show and delete base images; build one on this machine.",
    subcommands = {NestedHelpCommand.class, ImageCommands.Register.class, ImageCommands.ListImages.class,
        ImageCommands.Get.class, ImageCommands.Delete.class, ImageCommands.Build.class})
final class ImageCommands {
  private ImageCommands() {}

  @Command(name = "register", mixinStandardHelpOptions = true,
      description = "Register a base image by URL or by a file on a node; nodes pull it on first use.")
  static final class Register extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "the image's name") String name;
    @Option(names = "--format", paramLabel = "F", description = "qcow2 or raw") String format;
    @Option(names = "--sha256", paramLabel = "HEX", description = "the file's SHA-256") String sha256;
    @Option(names = "--url", paramLabel = "URL", description = "where nodes download it (http or https)") String url;
    @Option(names = "--node", paramLabel = "NODE", description = "the node that holds the file") String node;
    @Option(names = "--path", paramLabel = "PATH", description = "the file on that node") String path;
    @Option(names = "--size-bytes", paramLabel = "N", description = "the file's size") Long sizeBytes;
    @Option(names = "--watch", description = "with --node and --path: follow the import run, in which the node "
        + "checks the file's digest and copies it into its library (exit 0: imported, 1: it failed)")
    boolean watch;

    @Override
    int execute() throws IOException, InterruptedException {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      VmCommands.putIfSet(body, "format", format);
      VmCommands.putIfSet(body, "sha256", sha256);
      VmCommands.putIfSet(body, "url", url);
      VmCommands.putIfSet(body, "node", node);
      VmCommands.putIfSet(body, "path", path);
      VmCommands.putIfSet(body, "sizeBytes", sizeBytes);
      JsonNode image = ok(api().post("/api/v1/images", body));
      output().item(image, Views.IMAGE_FIELDS);
      // Only a registration by node file starts a run; one by URL is pulled on first use.
      String importRun = image.path("importRunId").asText("");
      return watch && !importRun.isEmpty() ? RunWatcher.forConsole(api(), out()).watch(importRun) : ExitCodes.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Registered images and the nodes that hold each.")
  static final class ListImages extends ApiCommand {
    @Mixin Paging paging;

    @Override
    int execute() throws IOException, InterruptedException {
      return list("/api/v1/images", paging.query(), Views.IMAGES);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "One registered image.")
  static final class Get extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "the image") String name;

    @Override
    int execute() throws IOException, InterruptedException {
      return get("/api/v1/images/" + segment(name), Views.IMAGE_FIELDS);
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Unregister an image (refused while a VM uses it).")
  static final class Delete extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "the image") String name;

    @Override
    int execute() throws IOException, InterruptedException {
      ok(api().delete("/api/v1/images/" + segment(name)));
      out().println("deleted " + name);
      return ExitCodes.OK;
    }
  }

  @Command(name = "build", mixinStandardHelpOptions = true,
      description = {"(run by the launcher) Build a Debian 12 cloud image into this machine's node library",
          "(debootstrap on this machine). usage: novacron image build debian-12 [--images DIR]"})
  static final class Build extends LauncherCommand {
    Build() {
      super("image build");
    }
  }
}
