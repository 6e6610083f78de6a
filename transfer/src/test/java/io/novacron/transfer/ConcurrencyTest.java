package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.transfer.DataSets.Shape;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
  @TempDir
  Path tmp;
  TwoNodes nodes;

  @BeforeEach
  void start() throws Exception {
    nodes = new TwoNodes(tmp);
  }

  @AfterEach
  void stop() {
    nodes.close();
  }

  @Test
  void concurrent_transfers_to_one_receiver_do_not_mix() throws Exception {
    Shape[] shapes = {Shape.RANDOM, Shape.TEXT, Shape.RAM, Shape.DISK, Shape.RANDOM, Shape.RAM};
    List<Path> sources = new ArrayList<>();
    for (int i = 0; i < shapes.length; i++) {
      Path p = nodes.sourceDir.resolve("file-" + i);
      // Same size for all, different content: a block landing in the wrong file shows.
      DataSets.write(p, shapes[i], 3L << 20, 100 + i);
      sources.add(p);
    }
    ExecutorService pool = Executors.newFixedThreadPool(shapes.length);
    try {
      List<Future<TransferResult>> results = new ArrayList<>();
      for (int i = 0; i < shapes.length; i++) {
        int n = i;
        results.add(pool.submit(() -> nodes.transfer(TwoNodes.request("many-" + n, "file-" + n, "in/file-" + n,
            TransferOptions.defaults().withStreams(1 + n % 3).withBlockSize(n % 2 == 0 ? 4096 : 65536)))));
      }
      for (int i = 0; i < shapes.length; i++) {
        TransferResult r = results.get(i).get();
        assertThat(r.transferId()).isEqualTo("many-" + i);
        assertThat(Files.mismatch(sources.get(i), nodes.targetDir.resolve("in/file-" + i))).as("file-" + i).isEqualTo(-1L);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
