package io.novacron.bench.transfer;

import io.novacron.transfer.DataSets;
import io.novacron.transfer.DataSets.Shape;
import io.novacron.workflows.transfer.TransferOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The transfer engine's cost per byte on an unshaped loopback: raw bytes moved per CPU-second of
 * sender and receiver together (the counting proxy's own CPU excluded), with incompressible data
 * so that no codec flatters the figure. What the 405B projection scales by a node's cores.
 */
public final class LoopbackEngineRate {
  private LoopbackEngineRate() {}

  /**
   * @param work scratch directory (emptied of what this wrote afterwards)
   * @param bytes file size to move, a few hundred MiB is plenty
   * @param rounds transfers; the best is kept
   */
  public static Measurement measure(Path work, long bytes, int rounds) throws Exception {
    Path source = Files.createDirectories(work.resolve("engine-source"));
    Path target = Files.createDirectories(work.resolve("engine-target"));
    Path file = source.resolve("weights.bin");
    DataSets.write(file, Shape.RANDOM, bytes, 7);
    Measurement best = null;
    try (EngineRunner engine = new EngineRunner(source, target, new ProxyLink(0, 0))) {
      for (int i = 0; i < rounds; i++) {
        Measurement m = engine.run("loopback", "random", "engine none", file, null,
            TransferOptions.defaults().withDelta(false).withCodec(TransferOptions.NONE));
        if (!m.identical()) {
          throw new IllegalStateException("the engine delivered different bytes: " + m.note());
        }
        if (best == null || m.cpuSeconds() < best.cpuSeconds()) {
          best = m;
        }
      }
    } finally {
      Files.deleteIfExists(file);
    }
    return best;
  }
}
