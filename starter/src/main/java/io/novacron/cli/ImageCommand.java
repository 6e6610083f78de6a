package io.novacron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code novacron image register|list|get|delete}: the image library's REST API from the shell.
 * ({@code image build} is the launcher script's, {@code starter/bin/novacron}: it runs debootstrap
 * on this machine.)
 */
final class ImageCommand {
  private static final Map<String, String> REGISTER_FIELDS = Map.of(
      "format", "format", "sha256", "sha256", "url", "url", "node", "node", "path", "path",
      "size-bytes", "sizeBytes");

  private final ApiClient client;
  private final PrintStream out;
  private final PrintStream err;

  ImageCommand(ApiClient client, PrintStream out, PrintStream err) {
    this.client = client;
    this.out = out;
    this.err = err;
  }

  /**
   * @param words the command words after {@code image}
   * @return the exit status, or -1 for a usage error the caller reports
   */
  int run(List<String> words, Map<String, String> options, UsageReporter usage)
      throws IOException, InterruptedException {
    String verb = words.isEmpty() ? "" : words.get(0);
    if (verb.equals("list")) {
      return words.size() == 1 && options.isEmpty() ? print(client.get("/api/v1/images"))
          : usage.report("image list takes no arguments");
    }
    if (!List.of("register", "get", "delete").contains(verb)) {
      return usage.report(verb.isEmpty() ? "image needs register, list, get, delete or build"
          : "unknown command 'image " + verb + "'");
    }
    if (words.size() != 2) {
      return usage.report("image " + verb + " needs the image's NAME");
    }
    String name = words.get(1);
    switch (verb) {
      case "get":
        return options.isEmpty() ? print(client.get("/api/v1/images/" + name)) : usage.report("image get takes no options");
      case "delete": {
        if (!options.isEmpty()) {
          return usage.report("image delete has no option --" + options.keySet().iterator().next());
        }
        ApiClient.Response response = client.delete("/api/v1/images/" + name);
        if (!response.ok()) {
          return refused(response);
        }
        out.println("deleted " + name);
        return 0;
      }
      default: {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        for (var entry : options.entrySet()) {
          String field = REGISTER_FIELDS.get(entry.getKey());
          if (field == null) {
            return usage.report("image register has no option --" + entry.getKey());
          }
          body.put(field, field.equals("sizeBytes") ? number(entry.getValue()) : entry.getValue());
        }
        ApiClient.Response response = client.post("/api/v1/images", body);
        return response.ok() ? print(response) : refused(response);
      }
    }
  }

  /** Reports a usage problem and answers the exit status. */
  @FunctionalInterface
  interface UsageReporter {
    int report(String problem);
  }

  private int refused(ApiClient.Response response) {
    return Replies.refused(err, response);
  }

  private int print(ApiClient.Response response) {
    return Replies.print(out, err, response);
  }


  private static Object number(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return value;
    }
  }
}
