package io.novacron.gpu.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.novacron.workflows.model.deploy.ShardFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference loader: what a node serves where no GPU exists. It loads its ranks' shard files,
 * verifies every tensor piece of those ranks against the manifest's SHA-256 (format
 * {@code novacron}) or every tensor's name and shape against what vLLM's TP rank expects (format
 * {@code vllm-sharded-state}, {@code --format=vllm-sharded-state}: {@link VllmShardFiles}), and answers
 * {@code GET /health}: 503 while loading, 200 with a JSON summary when ready. It computes nothing;
 * it proves that the files a model server would load are on the node, complete and correct.
 *
 * <p>Memory: pieces are streamed through a 1 MiB buffer; up to {@code --max-resident-mib} (default
 * 256) of their bytes are kept in memory, as a model server would keep its weights; the rest is
 * verified and dropped. A verification failure prints the reason and exits with status 2, which
 * the GPU agent reports with the end of the log.
 *
 * <pre>
 * java -cp novacron-activities-gpu-exec.jar -Dloader.main=io.novacron.gpu.deploy.ReferenceLoader \
 *   org.springframework.boot.loader.launch.PropertiesLauncher --dir=DIR --ranks=0,1 --port=8000
 * </pre>
 */
public final class ReferenceLoader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Set<Integer> ranks;
  private final ShardFormat format;
  private final long maxResident;
  private final List<ByteBuffer> resident = new ArrayList<>();
  private final AtomicLong verified = new AtomicLong();
  private long kept;
  private volatile Map<String, Object> summary;

  ReferenceLoader(Path dir, Set<Integer> ranks, ShardFormat format, long maxResident) {
    this.dir = dir;
    this.ranks = ranks;
    this.format = format;
    this.maxResident = maxResident;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 3) {
        fail(64, "unknown argument '" + arg + "': use --dir=DIR --ranks=0,1 --port=N [--format=F] [--bind=ADDR]"
            + " [--max-resident-mib=N]");
      }
      options.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    if (!options.containsKey("dir") || !options.containsKey("ranks") || !options.containsKey("port")) {
      fail(64, "--dir, --ranks and --port are required");
    }
    Set<Integer> ranks = new TreeSet<>();
    for (String r : options.get("ranks").split(",")) {
      ranks.add(Integer.parseInt(r.trim()));
    }
    ShardFormat format = ShardFormat.NOVACRON;
    try {
      format = ShardFormat.parse(options.get("format"));
    } catch (IllegalArgumentException e) {
      fail(64, "--format " + e.getMessage());
    }
    ReferenceLoader loader = new ReferenceLoader(Path.of(options.get("dir")), ranks, format,
        Long.parseLong(options.getOrDefault("max-resident-mib", "256")) << 20);
    HttpServer server = HttpServer.create(new InetSocketAddress(
        InetAddress.getByName(options.getOrDefault("bind", "127.0.0.1")), Integer.parseInt(options.get("port"))), 16);
    server.createContext("/health", loader::health);
    server.start();
    System.out.println("reference loader: loading ranks " + ranks + " (format " + format.label() + ") from "
        + loader.dir + ", health on port "
        + server.getAddress().getPort());
    try {
      loader.load();
    } catch (IOException | RuntimeException e) {
      server.stop(0);
      fail(2, "reference loader: loading failed: " + e.getMessage());
    }
    System.out.println("reference loader: ready " + JSON.writeValueAsString(loader.summary));
  }

  void load() throws IOException {
    long start = System.nanoTime();
    ManifestVerifier.Report report = format == ShardFormat.VLLM_SHARDED_STATE
        ? VllmShardFiles.load(dir, ranks, this::keep, verified::set)
        : ManifestVerifier.verify(dir, ranks, this::keep, verified::set);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("state", "ready");
    s.put("runtime", "novacron-reference-loader");
    s.put("note", "weights loaded and verified; no GPU, no inference");
    s.put("model", report.model());
    s.put("format", format.label());
    s.put("ranks", List.copyOf(ranks));
    s.put("files", report.files());
    // Format novacron: manifest pieces, each checked against its SHA-256. Format vllm-sharded-state:
    // tensors, each checked by name and shape against what vLLM's rank expects.
    s.put(format == ShardFormat.VLLM_SHARDED_STATE ? "tensors" : "pieces", report.pieces());
    s.put("bytesVerified", report.bytes());
    s.put("bytesResident", kept);
    s.put("loadSeconds", (System.nanoTime() - start) / 1e9);
    summary = s;
  }

  /** The JSON summary once loaded; null while loading. */
  Map<String, Object> summary() {
    return summary;
  }

  /** Keeps a copy of the chunk while the resident budget lasts. */
  private void keep(String tensor, int rank, ByteBuffer chunk) {
    if (kept + chunk.remaining() <= maxResident) {
      ByteBuffer copy = ByteBuffer.allocate(chunk.remaining());
      copy.put(chunk.duplicate()).flip();
      resident.add(copy);
      kept += copy.capacity();
    }
  }

  private void health(HttpExchange exchange) throws IOException {
    Map<String, Object> body = summary;
    int status = 200;
    if (body == null) {
      status = 503;
      body = Map.of("state", "loading", "bytesVerified", verified.get());
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void fail(int status, String message) {
    System.err.println(message);
    System.out.flush();
    System.exit(status);
  }

}
