package io.novacron.bench.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * REST latency of the list endpoints against a running control plane (novacron bench api, which
 * starts it and seeds the tables first): per endpoint, wrk rounds at each connection count
 * (capacity) and one fixed-rate round (the p95 target), written to api.md and api.json.
 *
 * <p>Options: {@code --api=http://127.0.0.1:8080 --token-file=F --paths=/api/v1/runs,/api/v1/vms
 * --connections=1,8,32 --seconds=15 --rate=200 --rate-seconds=20 --label=L --commit=C
 * --lua=latency.lua --out=docs/bench}.
 */
public final class ApiBench {
  private ApiBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    String api = options.getOrDefault("api", "http://127.0.0.1:8080");
    String token = Files.readString(Path.of(required(options, "token-file"))).trim();
    List<String> paths = Arrays.asList(options.getOrDefault("paths", "/api/v1/runs,/api/v1/vms").split(","));
    int[] connections = Arrays.stream(options.getOrDefault("connections", "1,8,32").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
    int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
    int rateSeconds = Integer.parseInt(options.getOrDefault("rate-seconds", "20"));
    String label = options.getOrDefault("label", "current");
    String commit = options.getOrDefault("commit", "unknown");
    Path lua = Path.of(required(options, "lua"));
    Path out = Path.of(options.getOrDefault("out", "docs/bench"));

    List<Map<String, Object>> rounds = new ArrayList<>();
    for (String path : paths) {
      URI uri = URI.create(api + path);
      long rows = totalCount(uri, token);
      // A short warm-up: the first requests pay for JIT and connection set-up, not for the API.
      // Never longer than a round (a smoke run's rounds last a second).
      wrk(uri, token, lua, 4, Math.min(5, seconds));
      for (int c : connections) {
        String before = loadAverage();
        WrkResult result = wrk(uri, token, lua, c, seconds);
        Map<String, Object> round = round(label, commit, path, rows, "wrk", before);
        round.put("connections", c);
        round.put("seconds", seconds);
        round.put("requests", result.requests());
        round.put("requestsPerSecond", Math.round(result.requestsPerSecond() * 10) / 10.0);
        round.put("p50Micros", result.p50Micros());
        round.put("p95Micros", result.p95Micros());
        round.put("p99Micros", result.p99Micros());
        round.put("maxMicros", result.maxMicros());
        round.put("errors", result.errors());
        round.put("loadAfter", loadAverage());
        rounds.add(round);
        System.out.printf("%s c=%d: %.0f req/s p50 %s ms p95 %s ms p99 %s ms errors %d%n", path, c,
            result.requestsPerSecond(), ApiReport.ms(result.p50Micros()), ApiReport.ms(result.p95Micros()),
            ApiReport.ms(result.p99Micros()), result.errors());
      }
      if (rate > 0) {
        String before = loadAverage();
        RateLoad.Result result = new RateLoad().run(uri, token, rate, rateSeconds);
        Map<String, Object> round = round(label, commit, path, rows, "rate", before);
        round.put("targetPerSecond", result.targetPerSecond());
        round.put("achievedPerSecond", Math.round(result.achievedPerSecond() * 10) / 10.0);
        round.put("seconds", result.seconds());
        round.put("requests", result.sent());
        round.put("p50Micros", result.p50Micros());
        round.put("p95Micros", result.p95Micros());
        round.put("p99Micros", result.p99Micros());
        round.put("maxMicros", result.maxMicros());
        round.put("errors", result.errors());
        round.put("loadAfter", loadAverage());
        rounds.add(round);
        System.out.printf("%s at %d req/s: achieved %.0f, p50 %s ms p95 %s ms p99 %s ms errors %d%n", path, rate,
            result.achievedPerSecond(), ApiReport.ms(result.p50Micros()), ApiReport.ms(result.p95Micros()),
            ApiReport.ms(result.p99Micros()), result.errors());
      }
    }
    Path json = out.resolve("api.json");
    ApiReport.write(out, machine(), ApiReport.merge(ApiReport.previousRounds(json), label, rounds));
    System.out.println("wrote " + out.resolve("api.md"));
  }

  private static Map<String, Object> round(String label, String commit, String path, long rows, String kind,
      String loadBefore) {
    Map<String, Object> round = new LinkedHashMap<>();
    round.put("label", label);
    round.put("commit", commit);
    round.put("at", Instant.now().toString());
    round.put("path", path);
    round.put("rows", rows);
    round.put("kind", kind);
    round.put("loadBefore", loadBefore);
    return round;
  }

  /** The list's X-Total-Count: how many rows the endpoint pages through (what the seed made). */
  private static long totalCount(URI uri, String token) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
    }
    return Long.parseLong(response.headers().firstValue("X-Total-Count").orElse("-1"));
  }

  private static WrkResult wrk(URI uri, String token, Path lua, int connections, int seconds)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder("wrk", "-t", String.valueOf(Math.min(connections, 2)), "-c",
        String.valueOf(connections), "-d", seconds + "s", "--timeout", "10s", "-s", lua.toString(), uri.toString(),
        "--", token).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("wrk failed: " + output);
    }
    WrkResult result = WrkResult.parse(output);
    if (result.non2xx() > 0) {
      throw new IllegalStateException(result.non2xx() + " answers of " + uri + " were not 2xx: is the token live?");
    }
    return result;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static Map<String, Object> machine() {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cpus", Runtime.getRuntime().availableProcessors());
    String model = "?";
    try {
      model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    } catch (IOException e) {
      // Not Linux: the CPU count alone.
    }
    machine.put("cpuModel", model);
    machine.put("java", System.getProperty("java.version"));
    return machine;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("options are --name=value, got '" + arg + "'");
      }
      options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }
}
