package io.novacron.transfer;

import io.novacron.transfer.wire.BlockRange;
import io.novacron.transfer.wire.Frame;
import io.novacron.transfer.wire.Wire;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferProgress;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection attempt of a send: handshake on every stream (stream 0 learns what the receiver
 * already holds and gets the delta base), then a planner thread, one worker and one acknowledgement
 * reader per stream, and this thread watching: for failures (the first one closes every socket,
 * which unblocks everything else), for stalls, and for the moment every block is acknowledged.
 * Then the secondary streams end and stream 0 commits.
 */
final class SendAttempt {
  private static final Logger log = LoggerFactory.getLogger(SendAttempt.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ReceiveEndpoint endpoint;
  private final TransferOptions options;
  private final Path sourcePath;
  private FileChannel source;
  private long size;
  private long fingerprint;
  private final SendContext context;
  private final int attemptNumber;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<StreamConnection> connections = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final CompletableFuture<byte[]> committed = new CompletableFuture<>();
  private SendTracker tracker;
  private String phase = "connecting";
  private long startNanos;
  private long startBytesDone;

  SendAttempt(ReceiveEndpoint endpoint, TransferOptions options, Path source, SendContext context, int attemptNumber) {
    this.endpoint = endpoint;
    this.options = options;
    this.sourcePath = source;
    this.context = context;
    this.attemptNumber = attemptNumber;
  }

  /** What one successful attempt reports. */
  record Outcome(byte[] sha256, SendTracker tracker) {}

  Outcome run() throws IOException, InterruptedException {
    startNanos = System.nanoTime();
    // The attempt's own channel: interrupting a thread in FileChannel I/O closes the channel, and
    // ending an attempt interrupts its planner.
    source = FileChannel.open(sourcePath, StandardOpenOption.READ);
    size = source.size();
    fingerprint = fingerprint(sourcePath, size);
    ExecutorService threads = Executors.newCachedThreadPool(named(endpoint.transferId()));
    try {
      report();
      Handshake handshake = connect(threads);
      tracker = new SendTracker(size, options.blockSize(), handshake.skip());
      startBytesDone = tracker.bytesDone();
      phase = "streaming";
      if (tracker.resumed() > 0) {
        log.info("transfer {} attempt {}: receiver already holds {} of {} blocks", endpoint.transferId(),
            attemptNumber, tracker.resumed(), tracker.blocks());
      }
      byte[] sha = stream(threads, handshake);
      phase = "committing";
      report();
      commit(sha);
      phase = "done";
      report();
      return new Outcome(sha, tracker);
    } finally {
      connections.forEach(StreamConnection::close);
      threads.shutdownNow();
      source.close();
    }
  }

  /** What the handshake learnt: blocks the receiver holds, and its delta base (or null). */
  private record Handshake(BitSet skip, DeltaBase delta) {}

  /** Stream 0 first (it learns the resume state and the base), then the others in parallel. */
  private Handshake connect(ExecutorService threads) throws IOException, InterruptedException {
    long attempt = RANDOM.nextLong();
    boolean wantBase = options.delta() && endpoint.baseBlocks() > 0;
    StreamConnection first = StreamConnection.open(endpoint, 0, context.wireBytes(), context.settings(), context.tls());
    connections.add(first);
    Frame.Accept accepted = first.authenticate(auth(first, attempt, wantBase));
    BitSet skip = new BitSet();
    for (BlockRange r : accepted.acknowledged()) {
      skip.set((int) Math.min(r.start(), Integer.MAX_VALUE), (int) Math.min(r.end(), Integer.MAX_VALUE));
    }
    DeltaBase delta = accepted.baseBlocks() > 0 ? readBase(first, accepted.baseBlocks(), options.blockSize()) : null;
    // Three round trips per stream: on a long link they are worth overlapping.
    List<Future<StreamConnection>> others = new ArrayList<>();
    for (int s = 1; s < options.streams(); s++) {
      int stream = s;
      others.add(threads.submit(() -> {
        StreamConnection c = StreamConnection.open(endpoint, stream, context.wireBytes(), context.settings(), context.tls());
        connections.add(c);
        c.authenticate(auth(c, attempt, false));
        return c;
      }));
    }
    for (Future<StreamConnection> f : others) {
      try {
        f.get();
      } catch (ExecutionException e) {
        fail(e.getCause());
        checkFailure();
      }
    }
    connections.sort(Comparator.comparingInt(c -> c.stream));
    return new Handshake(skip, delta);
  }

  /**
   * Runs the planner, a worker and an acknowledgement reader per stream, and watches until every
   * block is acknowledged. Returns the SHA-256 of the source.
   */
  private byte[] stream(ExecutorService threads, Handshake handshake) throws IOException, InterruptedException {
    int blockSize = options.blockSize();
    int streams = connections.size();
    BlockingQueue<Work> queue = new ArrayBlockingQueue<>(4 * streams + 4);
    BlockingQueue<byte[]> pool = new ArrayBlockingQueue<>(6 * streams + 8);
    while (pool.remainingCapacity() > 0) {
      pool.add(new byte[blockSize]);
    }
    CountDownLatch workersDone = new CountDownLatch(streams);
    for (StreamConnection c : connections) {
      threads.submit(() -> readAcks(c));
      StreamWorker worker = new StreamWorker(c, queue, pool, context.selector(), context.limiter(), tracker, blockSize);
      threads.submit(() -> {
        guard(worker::run);
        workersDone.countDown();
      });
    }
    Future<byte[]> planned = threads.submit(
        () -> new BlockPlanner(source, blockSize, tracker, handshake.skip(), handshake.delta(), queue, pool).plan());
    long lastReport = System.nanoTime();
    while (!(planned.isDone() && workersDone.getCount() == 0 && tracker.complete())) {
      checkFailure();
      if (planned.isDone()) {
        sha(planned);
      }
      tracker.awaitChange(100);
      lastReport = maybeReport(lastReport);
      checkStall();
    }
    return sha(planned);
  }

  /** Ends the other streams and commits on stream 0; returns once the receiver verified. */
  private void commit(byte[] sha) throws IOException, InterruptedException {
    StreamConnection first = connections.get(0);
    for (StreamConnection c : connections.subList(1, connections.size())) {
      c.finished = true;
      c.writer.end();
    }
    first.writer.commit(size, sha, TransferTokens.commitMac(endpoint.token(), first.challenge, size, sha));
    byte[] confirmed = awaitCommit();
    if (!Arrays.equals(confirmed, sha)) {
      throw new TransferException(TransferError.VERIFY_FAILED, "receiver confirmed another SHA-256");
    }
    first.finished = true;
    first.writer.end();
  }

  /** Size and modification time: a source that changes between attempts must not resume. */
  private static long fingerprint(Path source, long size) throws IOException {
    long mtime = Files.getLastModifiedTime(source).to(TimeUnit.NANOSECONDS);
    return size * 0x9E3779B97F4A7C15L ^ mtime;
  }

  /** This attempt's counters; null when it failed before the handshake finished. */
  SendTracker tracker() {
    return tracker;
  }

  /** Progress as of now, for the listener and the final heartbeat. */
  TransferProgress progress() {
    long wire = context.wireBytes().get();
    if (tracker == null) {
      return new TransferProgress(endpoint.transferId(), context.attempts(), phase, size, 0, wire, 0, 0, 0, 0, -1,
          context.selector().current().label());
    }
    long done = tracker.bytesDone();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double throughput = seconds > 0 ? (done - startBytesDone) / seconds : 0;
    double eta = done >= size ? 0 : throughput > 0 ? (size - done) / throughput : -1;
    return new TransferProgress(endpoint.transferId(), context.attempts(), phase, size, done, wire, tracker.blocks(),
        tracker.acknowledgedBlocks(), wire > 0 ? (double) done / wire : 0, throughput, eta,
        context.selector().current().label());
  }

  private Frame.Auth auth(StreamConnection c, long attempt, boolean wantBase) {
    byte[] proof = TransferTokens.proof(endpoint.token(), c.challenge, endpoint.transferId(), c.stream);
    return new Frame.Auth(proof, attempt, size, options.blockSize(), fingerprint, options.streams(), wantBase);
  }

  /**
   * Reads the base's block hashes. If they do not hash to what the endpoint advertised (the base
   * changed since openReceive, say), delta is dropped for this attempt: sending more is safe,
   * trusting the wrong hashes is not.
   */
  private DeltaBase readBase(StreamConnection c, long blocks, int blockSize) throws IOException {
    if (blocks * Wire.BASE_ENTRY > Integer.MAX_VALUE - 64) {
      throw new TransferException(TransferError.PROTOCOL, "base of " + blocks + " blocks");
    }
    byte[] entries = new byte[(int) (blocks * Wire.BASE_ENTRY)];
    int filled = 0;
    while (filled < entries.length) {
      Frame f = c.reader.read();
      if (!(f instanceof Frame.BaseHashes h) || filled + h.entries().length > entries.length) {
        throw new TransferException(TransferError.PROTOCOL, "expected base hashes");
      }
      System.arraycopy(h.entries(), 0, entries, filled, h.entries().length);
      filled += h.entries().length;
    }
    String digest = BaseSignature.digest(blockSize, endpoint.baseSize(), entries);
    if (!digest.equals(endpoint.baseSignatureSha256())) {
      log.warn("transfer {}: the receiver's base hashes are not the ones openReceive announced; sending without delta",
          endpoint.transferId());
      return null;
    }
    return new DeltaBase(entries);
  }

  private void readAcks(StreamConnection c) {
    try {
      while (true) {
        Frame f = c.reader.read();
        if (f == null) {
          if (!c.finished) {
            fail(new TransferException(TransferError.IO, "receiver closed stream " + c.stream));
          }
          return;
        }
        if (f instanceof Frame.Ack a) {
          tracker.acknowledged(a.ranges());
        } else if (f instanceof Frame.Committed done && c.stream == 0) {
          committed.complete(done.sha256());
        } else if (f instanceof Frame.Error e) {
          fail(new TransferException(TransferError.ofCode(e.code()), "receiver: " + e.message()));
          return;
        } else {
          fail(new TransferException(TransferError.PROTOCOL, "unexpected " + f.getClass().getSimpleName()));
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!c.finished) {
        fail(e);
      }
    }
  }

  private byte[] awaitCommit() throws IOException, InterruptedException {
    while (true) {
      checkFailure();
      try {
        return committed.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        checkStall();
      } catch (ExecutionException e) {
        throw new TransferException(TransferError.INTERNAL, "commit failed", e.getCause());
      }
    }
  }

  private void checkStall() throws TransferException {
    long quiet = System.nanoTime() - tracker.lastActivityNanos();
    if (quiet > context.settings().stallTimeout().toNanos()) {
      fail(new TransferException(TransferError.IO, "no progress for " + quiet / 1_000_000_000 + " s"));
    }
  }

  private long maybeReport(long last) {
    if (System.nanoTime() - last < context.settings().progressInterval().toNanos()) {
      return last;
    }
    report();
    return System.nanoTime();
  }

  private void report() {
    context.listener().progress(progress());
  }

  private byte[] sha(Future<byte[]> planned) throws IOException, InterruptedException {
    try {
      return planned.get();
    } catch (ExecutionException e) {
      fail(e.getCause());
      checkFailure();
      throw new IllegalStateException("unreachable");
    }
  }

  private void guard(ThrowingRunnable body) {
    try {
      body.run();
    } catch (Exception e) {
      fail(e);
    }
  }

  /** Records the first failure and closes every connection, which wakes every blocked thread. */
  private void fail(Throwable t) {
    if (failure.compareAndSet(null, t)) {
      connections.forEach(StreamConnection::close);
    }
    synchronized (tracker == null ? this : tracker) {
      (tracker == null ? this : tracker).notifyAll();
    }
  }

  private void checkFailure() throws IOException, InterruptedException {
    Throwable t = failure.get();
    if (t == null) {
      return;
    }
    if (t instanceof TransferException te) {
      throw new TransferException(te.error(), te.getMessage(), te);
    }
    if (t instanceof InterruptedException) {
      throw new InterruptedException("interrupted");
    }
    if (t instanceof IOException io) {
      throw new TransferException(TransferError.IO, io.toString(), io);
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    throw new TransferException(TransferError.INTERNAL, t.toString(), t);
  }

  private static java.util.concurrent.ThreadFactory named(String transferId) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "transfer-send-" + transferId + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
