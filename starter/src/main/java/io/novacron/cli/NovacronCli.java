package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code novacron} command line (the Java part; {@code starter/bin/novacron} adds the local
 * stack's {@code up}, {@code down}, {@code status} and {@code test}).
 *
 * <p>Exit codes: 0 success, 1 the run failed, 64 bad usage (named), 69 control plane unreachable,
 * 77 no API token, or one the control plane refuses.
 */
public final class NovacronCli {
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 64;
  static final int EXIT_UNAVAILABLE = 69;
  /** sysexits' EX_NOPERM: no token, a refused token, or a role too low. */
  static final int EXIT_NOPERM = 77;

  static final String USAGE = """
      usage: novacron [--api=URL] COMMAND
        vm create --name=NAME --vcpus=N --memory-mib=MIB --disk-gib=GIB [--image=IMAGE] [--node=NODE]
                  [--network=NET[,NET]] [--hostname=H] [--ssh-key-file=F] [--user-data-file=F] [--watch]
                                 one virtio NIC per network; cloud-init host name, authorized keys, cloud-config
        vm list [--label=K=V]    list VMs (with their labels); --label: only those with that label
        vm start NAME [--watch]  boot a VM (a VmPower run; --watch: until it ends)
        vm stop NAME [--grace-seconds=S] [--watch]
                                 shut a VM down, powering it off after S seconds (default 60; 0: at once)
        vm reboot NAME [--grace-seconds=S] [--watch]
                                 stop as vm stop does, then start and verify the guest
        vm delete NAME [--watch] power a VM off and remove its domain, disk, seed and console log (a DeleteVm run)
        vm resize NAME [--vcpus=N] [--memory-mib=MIB] [--disk-gib=GIB] [--watch]
                                 resize a stopped VM (a ResizeVm run): vCPUs, memory, and a disk that only grows
        vm label NAME K=V... [K-...]
                                 set labels (K=V) and remove them (K-), kubectl-style; prints the VM's labels
        vm console NAME [--follow] [--tail-bytes=N]
                                 print a VM's serial console log (the last N bytes); --follow: keep printing
                                 new output, like tail -f, until Ctrl-C (needs the operator role)
        runs watch RUN_ID        follow a run until it ends (exit 0 when it succeeded)
        runs resolve RUN_ID --action=retry|abandon|keep-source|keep-target [--watch]
                                 answer a run that waits for an operator (ATTENTION); prints what it will do
        runs get RUN_ID          print a run as JSON
        nodes                    list nodes (also: node list)
        node get NAME            one node: facts, cordon, whether it is down
        node cordon NAME [--reason=TEXT]
                                 the node takes no new VMs (placement and migrations skip it); its VMs keep running
        node uncordon NAME       take new VMs again (refused while a drain of the node runs)
        node label NAME K=V... [K-...]
                                 set or remove a node's labels; a VM label node.novacron.io/K=V asks for them
        node drain NAME [--policy=live-or-fail|live-then-cold|skip] [--mode=live|warm|cold] [--parallel=N]
                   [--dry-run] [--watch]
                                 cordon, then move every VM off (a DrainNode run); --dry-run: print the plan only
        node rebalance [--max-moves=N] [--execute] [--parallel=N] [--watch]
                                 plan moves that even memory use across nodes; --execute: run them (a Rebalance run)
        image register NAME --format=qcow2|raw --sha256=HEX (--url=URL | --node=NODE --path=PATH) [--size-bytes=N]
                                 register a base image by URL or by a file on a node; nodes pull it on first use
        image list               registered images and the nodes that hold each
        image get NAME           one registered image
        image delete NAME        unregister an image (refused while a VM uses it)
        image build debian-12 [--images DIR]
                                 build a Debian 12 cloud image into this machine's node library (the launcher's)
        model plan --model=NAME|--checkpoint=DIR --dtype=bf16|fp8|int4 --nodes=N --gpus-per-node=G --gpu-memory-gib=M
                                 plan tensor/pipeline parallelism (exit 2 when it does not fit)
        model deploy --name=NAME --source=NODE --checkpoint=DIR --nodes=A,B [--dtype=D] [--context=N] [--batch=N]
                     [--runtime=vllm|reference] [--port=N] [--template=CMD] [--simulated-gpu-gib=G] [--watch]
                                 deploy a checkpoint (--watch: until it serves); stop with runs cancel or the API
      The API defaults to $NOVACRON_API or http://127.0.0.1:8080. The API token comes from $NOVACRON_TOKEN,
      else the file $NOVACRON_TOKEN_FILE, else $NOVACRON_DATA_DIR/admin-token (written by novacron up).""";

  private final PrintStream out;
  private final PrintStream err;

  NovacronCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new NovacronCli(System.out, System.err).run(args));
  }

  int run(String[] args) {
    // Before the generic parsing: model plan takes "--flag value" pairs and parses them itself.
    if (args.length >= 2 && args[0].equals("model") && args[1].equals("plan")) {
      return io.novacron.cli.model.ModelPlanCommand.run(args, out, err);
    }
    List<String> words = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        options.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
      } else {
        words.add(arg);
      }
    }
    String api = options.getOrDefault("api", System.getenv().getOrDefault("NOVACRON_API", "http://127.0.0.1:8080"));
    options.remove("api");
    ApiClient client;
    try {
      client = new ApiClient(URI.create(api), ApiToken.from(System.getenv()));
    } catch (IOException e) {
      err.println("novacron: " + e.getMessage());
      return EXIT_NOPERM;
    }
    try {
      if (!words.isEmpty() && words.get(0).equals("node")) {
        return new NodeCommand(client, out, err).run(words.subList(1, words.size()), options, this::usage);
      }
      if (!words.isEmpty() && words.get(0).equals("image")) {
        return new ImageCommand(client, out, err).run(words.subList(1, words.size()), options, this::usage);
      }
      String command = String.join(" ", words.subList(0, Math.min(2, words.size())));
      switch (command) {
        case "vm create":
          return vmCreate(client, options);
        case "vm list":
          return vmList(client, options);
        case "vm label":
          return words.size() >= 4 ? vmLabel(client, words.get(2), words.subList(3, words.size()))
              : usage("vm label needs the VM's NAME and at least one K=V or K-");
        case "vm delete":
          return words.size() == 3 ? vmDelete(client, words.get(2), options) : usage("vm delete needs the VM's NAME");
        case "vm resize":
          return words.size() == 3 ? vmResize(client, words.get(2), options) : usage("vm resize needs the VM's NAME");
        case "vm console":
          return words.size() == 3 ? vmConsole(client, words.get(2), options) : usage("vm console needs the VM's NAME");
        case "vm start", "vm stop", "vm reboot":
          return words.size() == 3 ? vmPower(client, words.get(1), words.get(2), options)
              : usage(command + " needs the VM's NAME");
        case "model deploy":
          return modelDeploy(client, options);
        case "runs watch":
          return words.size() == 3 ? new RunWatcher(client, out).watch(words.get(2)) : usage("runs watch needs a RUN_ID");
        case "runs resolve":
          return words.size() == 3 ? runsResolve(client, words.get(2), options) : usage("runs resolve needs a RUN_ID");
        case "runs get":
          return words.size() == 3 ? print(client.get("/api/v1/runs/" + words.get(2))) : usage("runs get needs a RUN_ID");
        default:
          if (words.size() == 1 && words.get(0).equals("nodes")) {
            return print(client.get("/api/v1/nodes"));
          }
          return usage(words.isEmpty() ? "no command given" : "unknown command '" + String.join(" ", words) + "'");
      }
    } catch (ApiAuthException e) {
      err.println("novacron: " + e.getMessage());
      return EXIT_NOPERM;
    } catch (IOException e) {
      err.println("novacron: " + e.getMessage());
      return EXIT_UNAVAILABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_FAILED;
    }
  }

  private int vmCreate(ApiClient client, Map<String, String> options) throws IOException, InterruptedException {
    boolean watch = Boolean.parseBoolean(options.remove("watch"));
    Map<String, Object> body;
    try {
      body = VmCreateBody.from(options);
    } catch (VmCreateBody.BadOption e) {
      return usage(e.getMessage());
    }
    return started(client, client.post("/api/v1/vms", body), watch);
  }

  /** DELETE /api/v1/vms/NAME. */
  private int vmDelete(ApiClient client, String vm, Map<String, String> options)
      throws IOException, InterruptedException {
    boolean watch = Boolean.parseBoolean(options.remove("watch"));
    if (!options.isEmpty()) {
      return usage("vm delete has no option --" + options.keySet().iterator().next());
    }
    return started(client, client.delete("/api/v1/vms/" + vm), watch);
  }

  /** POST /api/v1/vms/NAME/resize with the sizes given; the API refuses an empty one, naming the fields. */
  private int vmResize(ApiClient client, String vm, Map<String, String> options)
      throws IOException, InterruptedException {
    boolean watch = Boolean.parseBoolean(options.remove("watch"));
    Map<String, Object> body = new LinkedHashMap<>();
    for (var entry : options.entrySet()) {
      String field = switch (entry.getKey()) {
        case "vcpus" -> "vcpus";
        case "memory-mib" -> "memoryMib";
        case "disk-gib" -> "diskGib";
        default -> null;
      };
      if (field == null) {
        return usage("vm resize has no option --" + entry.getKey() + " (it takes --vcpus, --memory-mib, --disk-gib)");
      }
      body.put(field, number(entry.getValue()));
    }
    if (body.isEmpty()) {
      return usage("vm resize needs at least one of --vcpus, --memory-mib and --disk-gib");
    }
    return started(client, client.post("/api/v1/vms/" + vm + "/resize", body), watch);
  }

  /** GET /api/v1/vms, with ?label=K=V when --label is given. */
  private int vmList(ApiClient client, Map<String, String> options) throws IOException, InterruptedException {
    String label = options.remove("label");
    if (!options.isEmpty()) {
      return usage("vm list has no option --" + options.keySet().iterator().next());
    }
    return print(client.get("/api/v1/vms" + (label == null ? ""
        : "?label=" + java.net.URLEncoder.encode(label, java.nio.charset.StandardCharsets.UTF_8))));
  }

  /** PATCH /api/v1/vms/NAME/labels: K=V sets, K- removes (a JSON merge patch's null). */
  private int vmLabel(ApiClient client, String vm, List<String> terms) throws IOException, InterruptedException {
    return LabelPatch.send(client, out, err, "/api/v1/vms/" + vm + "/labels", terms, this::usage);
  }

  /** GET /api/v1/vms/NAME/console, once or (--follow) until interrupted. */
  private int vmConsole(ApiClient client, String vm, Map<String, String> options)
      throws IOException, InterruptedException {
    boolean follow = Boolean.parseBoolean(options.remove("follow"));
    String tail = options.remove("tail-bytes");
    long tailBytes = 0;
    if (tail != null) {
      try {
        tailBytes = Long.parseLong(tail);
      } catch (NumberFormatException e) {
        tailBytes = -1;
      }
      if (tailBytes < 1) {
        return usage("vm console --tail-bytes must be a number of bytes above 0, was '" + tail + "'");
      }
    }
    if (!options.isEmpty()) {
      return usage("vm console has no option --" + options.keySet().iterator().next());
    }
    return new ConsoleFollower(client, out, err, pause -> Thread.sleep(pause.toMillis())).print(vm, tailBytes, follow);
  }

  /** Prints the run id of an accepted launch (and follows it with --watch), or the API's refusal. */
  private int started(ApiClient client, ApiClient.Response response, boolean watch)
      throws IOException, InterruptedException {
    if (!response.ok()) {
      err.println("novacron: " + response.body().path("detail").asText(response.body().toString()));
      return response.status() / 100 == 4 ? EXIT_USAGE : EXIT_FAILED;
    }
    String runId = response.body().path("runId").asText();
    out.println(runId);
    return watch ? new RunWatcher(client, out).watch(runId) : 0;
  }

  /** POST /api/v1/vms/NAME/start|stop|reboot; stop and reboot take --grace-seconds. */
  private int vmPower(ApiClient client, String action, String vm, Map<String, String> options)
      throws IOException, InterruptedException {
    boolean watch = Boolean.parseBoolean(options.remove("watch"));
    Map<String, Object> body = new LinkedHashMap<>();
    String grace = options.remove("grace-seconds");
    if (grace != null) {
      if (action.equals("start")) {
        return usage("vm start has no option --grace-seconds");
      }
      body.put("graceSeconds", number(grace));
    }
    if (!options.isEmpty()) {
      return usage("vm " + action + " has no option --" + options.keySet().iterator().next());
    }
    return started(client, client.post("/api/v1/vms/" + vm + "/" + action, body), watch);
  }

  /** POST /api/v1/runs/RUN_ID/resolve with --action; the API names a bad action and says why a run refuses. */
  private int runsResolve(ApiClient client, String runId, Map<String, String> options)
      throws IOException, InterruptedException {
    boolean watch = Boolean.parseBoolean(options.remove("watch"));
    String action = options.remove("action");
    if (action == null || action.equals("true")) {
      return usage("runs resolve needs --action=retry|abandon|keep-source|keep-target");
    }
    if (!options.isEmpty()) {
      return usage("runs resolve has no option --" + options.keySet().iterator().next());
    }
    ApiClient.Response response = client.post("/api/v1/runs/" + runId + "/resolve", Map.of("action", action));
    if (!response.ok()) {
      err.println("novacron: " + response.body().path("detail").asText(response.body().toString()));
      return response.status() / 100 == 4 ? EXIT_USAGE : EXIT_FAILED;
    }
    out.println(response.body().path("answer").asText());
    return watch ? new RunWatcher(client, out).watch(runId) : 0;
  }

  private int modelDeploy(ApiClient client, Map<String, String> options) throws IOException, InterruptedException {
    boolean watch = Boolean.parseBoolean(options.remove("watch"));
    Map<String, Object> body;
    try {
      body = io.novacron.cli.model.DeployRequestBody.from(options);
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    ApiClient.Response response = client.post("/api/v1/deployments", body);
    if (!response.ok()) {
      err.println("novacron: " + response.body().path("detail").asText(response.body().toString()));
      return response.status() / 100 == 4 ? EXIT_USAGE : EXIT_FAILED;
    }
    String runId = response.body().path("runId").asText();
    out.println(runId);
    return watch ? new RunWatcher(client, out).watch(runId, "serving") : 0;
  }

  /** Numbers go as JSON numbers so that the API can name a non-number field precisely. */
  static Object number(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return value;
    }
  }

  private int print(ApiClient.Response response) throws IOException {
    JsonNode body = response.body();
    (response.ok() ? out : err).println(body.toPrettyString());
    return response.ok() ? 0 : EXIT_FAILED;
  }

  private int usage(String problem) {
    err.println("novacron: " + problem);
    err.println(USAGE);
    return EXIT_USAGE;
  }
}
