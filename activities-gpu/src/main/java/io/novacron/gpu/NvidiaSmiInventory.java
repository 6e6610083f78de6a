package io.novacron.gpu;

import io.novacron.workflows.node.GpuInfo;
import io.novacron.workflows.node.GpuInventory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads the node's GPUs with {@code nvidia-smi}. Where the tool is absent (no NVIDIA driver) the
 * inventory is empty with source {@code none}: a node without GPUs is a normal node.
 */
public final class NvidiaSmiInventory {
  static final String QUERY =
      "--query-gpu=index,name,uuid,memory.total,memory.used,driver_version";

  private final String node;
  private final String nvidiaSmi;
  private final String agentVersion;
  private final int announceIntervalSeconds;

  public NvidiaSmiInventory(String node, String nvidiaSmi, String agentVersion, int announceIntervalSeconds) {
    this.node = node;
    this.nvidiaSmi = nvidiaSmi;
    this.agentVersion = agentVersion;
    this.announceIntervalSeconds = announceIntervalSeconds;
  }

  public GpuInventory read() {
    String csv;
    try {
      Process process = new ProcessBuilder(nvidiaSmi, QUERY, "--format=csv,noheader,nounits")
          .redirectErrorStream(true).start();
      csv = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(nvidiaSmi + " failed: " + csv.strip());
      }
    } catch (IOException e) {
      // No nvidia-smi on this node: no NVIDIA GPUs to offer.
      return new GpuInventory(node, "none", null, List.of(), agentVersion, announceIntervalSeconds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading GPUs", e);
    }
    return parse(csv);
  }

  /** Parses nvidia-smi's CSV (no header, no units). */
  GpuInventory parse(String csv) {
    List<GpuInfo> gpus = new ArrayList<>();
    String driver = null;
    for (String line : csv.strip().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",\\s*");
      if (f.length < 6) {
        throw new IllegalStateException("unexpected nvidia-smi line: " + line);
      }
      gpus.add(new GpuInfo(Integer.parseInt(f[0].trim()), f[1].trim(), f[2].trim(),
          Long.parseLong(f[3].trim()), Long.parseLong(f[4].trim())));
      driver = f[5].trim();
    }
    return new GpuInventory(node, "nvidia-smi", driver, List.copyOf(gpus), agentVersion, announceIntervalSeconds);
  }
}
