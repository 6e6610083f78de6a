package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** How each resource shows: its table's columns, and the fields a {@code get} shows with units. */
final class Views {
  private Views() {}

  static final List<Column> VMS = List.of(
      Column.of("NAME", Column.text("name")),
      Column.of("STATE", Column.text("state")),
      Column.of("NODE", Column.text("node")),
      Column.of("VCPUS", Column.text("vcpus")),
      Column.of("MEMORY", vm -> Units.mib(vm.path("memoryMib").asLong())),
      Column.of("DISK", vm -> Units.gib(vm.path("diskGib").asLong())),
      Column.of("IMAGE", Column.text("image")),
      Column.wide("ADDRESSES", vm -> joined(vm.path("addresses"))),
      Column.wide("LABELS", vm -> labels(vm.path("labels"))),
      Column.wide("RUN", Column.text("runId")));

  static final List<Column> NODES = List.of(
      Column.of("NAME", Column.text("name")),
      Column.of("STATUS", Views::nodeStatus),
      Column.of("CPUS", Column.text("cpus")),
      Column.of("MEMORY", n -> Units.mib(n.path("memoryMib").asLong())),
      Column.of("STORAGE FREE", n -> Units.gib(n.path("storageFreeGib").asLong()) + " of "
          + Units.gib(n.path("storageTotalGib").asLong())),
      Column.of("GPUS", n -> String.valueOf(n.path("gpus").size())),
      Column.wide("HOSTNAME", Column.text("hostname")),
      Column.wide("LIBVIRT", Column.text("libvirtUri")),
      Column.wide("NETWORKS", Column.text("networks")),
      Column.wide("LABELS", n -> labels(n.path("labels"))),
      Column.wide("CORDON", Column.text("cordon")));

  static final List<Column> IMAGES = List.of(
      Column.of("NAME", Column.text("name")),
      Column.of("FORMAT", Column.text("format")),
      Column.of("SIZE", i -> i.path("sizeBytes").isNumber() ? Units.bytes(i.path("sizeBytes").asLong()) : null),
      Column.of("NODES", i -> joined(i.path("nodes"))),
      Column.wide("SOURCE", i -> i.path("url").isTextual() ? i.path("url").asText()
          : i.path("node").asText("") + ":" + i.path("path").asText("")),
      Column.wide("SHA256", Column.text("sha256")),
      Column.wide("CREATED", Column.text("createdAt")));

  static final List<Column> RUNS = List.of(
      Column.of("ID", Column.text("id")),
      Column.of("TYPE", Column.text("type")),
      Column.of("SUBJECT", Column.text("subject")),
      Column.of("STATE", Column.text("state")),
      Column.of("PHASE", Column.text("phase")),
      Column.of("PROGRESS", r -> r.path("progress").isObject()
          ? Units.percent(r.path("progress").path("percent").asDouble()) : null),
      Column.of("DURATION", Views::runDuration),
      Column.wide("NODE", Column.text("node")),
      Column.wide("STARTED", Column.text("startedAt")),
      Column.wide("DETAIL", Column.text("detail")));

  static final List<Column> USERS = List.of(
      Column.of("USERNAME", Column.text("username")),
      Column.of("ROLE", Column.text("role")),
      Column.of("CREATED", Column.text("createdAt")),
      Column.of("CREATED BY", Column.text("createdBy")));

  static final List<Column> TOKENS = List.of(
      Column.of("ID", Column.text("id")),
      Column.of("NAME", Column.text("name")),
      Column.of("ROLE", Column.text("role")),
      Column.of("LAST USED", Column.text("lastUsedAt")),
      Column.of("REVOKED", Column.text("revokedAt")),
      Column.wide("CREATED", Column.text("createdAt")),
      Column.wide("CREATED BY", Column.text("createdBy")));

  static final List<Column> AUDIT = List.of(
      Column.of("ID", Column.text("id")),
      Column.of("AT", Column.text("at")),
      Column.of("ACTOR", a -> a.path("actorKind").asText("") + ":" + a.path("actor").asText("")),
      Column.of("ACTION", Column.text("action")),
      Column.of("TARGET", Column.text("target")),
      Column.of("OUTCOME", Column.text("outcome")),
      Column.of("STATUS", Column.text("status")),
      Column.wide("DETAIL", Column.text("detail")),
      Column.wide("REQUEST", Column.text("requestId")),
      Column.wide("CLIENT", Column.text("client")));

  /** The fields a {@code get} of a VM shows with units. */
  static final Map<String, Function<JsonNode, String>> VM_FIELDS = Map.of(
      "memoryMib", vm -> Units.mib(vm.path("memoryMib").asLong()),
      "diskGib", vm -> Units.gib(vm.path("diskGib").asLong()));

  static final Map<String, Function<JsonNode, String>> NODE_FIELDS = Map.of(
      "memoryMib", n -> Units.mib(n.path("memoryMib").asLong()),
      "storageTotalGib", n -> Units.gib(n.path("storageTotalGib").asLong()),
      "storageFreeGib", n -> Units.gib(n.path("storageFreeGib").asLong()));

  static final Map<String, Function<JsonNode, String>> IMAGE_FIELDS = Map.of(
      "sizeBytes", i -> i.path("sizeBytes").isNumber() ? Units.bytes(i.path("sizeBytes").asLong()) : null);

  /** A run's fields; its progress as the watch line shows it, its timeline and items one per line. */
  static final Map<String, Function<JsonNode, String>> RUN_FIELDS = runFields();

  private static Map<String, Function<JsonNode, String>> runFields() {
    Map<String, Function<JsonNode, String>> fields = new LinkedHashMap<>();
    fields.put("progress", r -> ProgressText.of(r.path("progress")));
    fields.put("timeline", r -> lines(r.path("timeline"), p -> p.path("at").asText("") + "  " + p.path("phase").asText()
        + " " + p.path("state").asText() + (p.path("detail").isTextual() ? "  " + p.path("detail").asText() : "")));
    fields.put("items", r -> lines(r.path("items"), i -> i.path("item").asText() + ": " + i.path("state").asText()
        + (i.path("target").isTextual() ? " -> " + i.path("target").asText() : "")
        + (i.path("detail").isTextual() ? " (" + i.path("detail").asText() + ")" : "")));
    return fields;
  }

  private static String lines(JsonNode list, Function<JsonNode, String> line) {
    List<String> shown = new ArrayList<>();
    list.forEach(entry -> shown.add(System.lineSeparator() + "  " + line.apply(entry)));
    return String.join("", shown);
  }

  /** {@code down}, {@code cordoned} or {@code ready}; {@code stale} when an agent stopped announcing. */
  static String nodeStatus(JsonNode node) {
    if (node.path("down").asBoolean()) {
      return "down";
    }
    String status = node.path("cordon").isTextual() ? "cordoned" : "ready";
    return node.path("hostStale").asBoolean() || node.path("gpuStale").asBoolean() ? status + ",stale" : status;
  }

  /** How long a run ran: start to end, or to now while it runs. */
  static String runDuration(JsonNode run) {
    Instant start = instant(run.path("startedAt"));
    if (start == null) {
      return null;
    }
    Instant end = instant(run.path("endedAt"));
    return Units.seconds(Duration.between(start, end == null ? Instant.now() : end).toSeconds());
  }

  private static Instant instant(JsonNode node) {
    try {
      return node.isTextual() ? Instant.parse(node.asText()) : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String labels(JsonNode labels) {
    List<String> pairs = new ArrayList<>();
    labels.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
    return String.join(",", pairs);
  }

  private static String joined(JsonNode list) {
    List<String> items = new ArrayList<>();
    list.forEach(i -> items.add(i.isValueNode() ? i.asText() : i.toString()));
    return String.join(",", items);
  }
}
