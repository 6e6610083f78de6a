package io.novacron.transfer;

import io.novacron.transfer.wire.BlockRange;
import io.novacron.transfer.wire.Frame;
import io.novacron.workflows.transfer.ReceiveOutcome;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The receiving side of one transfer: its partial file ({@code .<name>.<id>.part}) and journal
 * ({@code .<name>.<id>.journal}) next to the target, the delta base, and the connections of the
 * sender's current attempt.
 *
 * <p>Block writes from several connections run in parallel under the read side of a lock;
 * opening, resetting, committing and closing take the write side, so they never see half a
 * block. Nothing here touches the target itself until {@link #land}, which renames the verified
 * partial file onto it atomically.
 */
final class ReceiveSession {
  private static final byte[] ZEROS = new byte[1 << 20];
  private static final long KEEPALIVE_NANOS = 2_000_000_000L;

  private final SessionStore store;
  private final TransferTokens tokens;
  private final TransferPaths paths;
  private final Path target;
  private final Path part;
  private final Path journalPath;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<Closeable, Long> connections = new ConcurrentHashMap<>();
  private final BitSet written = new BitSet();
  private final AtomicLong blocksWritten = new AtomicLong();
  private final AtomicLong blocksCopied = new AtomicLong();
  private final AtomicLong blocksZeroed = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong corrupt = new AtomicLong();
  private final Object baseLock = new Object();

  private volatile SessionRecord record;
  private FileChannel partChannel;
  private AckJournal journal;
  /** The verify hash, computed ahead of the commit (null without verify or storage). */
  private PrefixHash prefixHash;
  private boolean mayHoldOldBytes;
  private long attempt;
  private boolean attached;
  /**
   * Bumped whenever the partial file is (re)opened or dropped and whenever a new attempt takes
   * over; a connection may only write and journal under the generation it was admitted with.
   */
  private long generation;
  private BaseSignature base;
  private FileChannel baseChannel;

  ReceiveSession(SessionRecord record, SessionStore store, TransferTokens tokens, TransferPaths paths) {
    this.record = record;
    this.store = store;
    this.tokens = tokens;
    this.paths = paths;
    this.target = Path.of(record.target());
    String stem = "." + target.getFileName() + "." + record.transferId();
    this.part = target.resolveSibling(stem + ".part");
    this.journalPath = target.resolveSibling(stem + ".journal");
  }

  SessionRecord record() {
    return record;
  }

  Path target() {
    return target;
  }

  String token() {
    SessionRecord r = record;
    return tokens.issue(r.transferId(), r.target(), Hashes.unhex(r.nonce()), r.expiresAtMillis());
  }

  void renew(String nonce, long expiresAt) throws IOException {
    lock.writeLock().lock();
    try {
      record = record.renewed(nonce, expiresAt);
      store.save(record);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Blocks the journal on disk lists (before any sender attached). */
  long acknowledgedOnDisk() {
    lock.readLock().lock();
    try {
      return journal != null ? journal.count() : AckJournal.countAcknowledged(journalPath);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The delta base's hashes, computed on first use; null without delta or without an existing copy. */
  BaseSignature base() throws IOException {
    synchronized (baseLock) {
      if (base == null && record.delta() && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
          && Files.size(target) > 0) {
        base = BaseSignature.compute(target, record.blockSize());
      }
      return base;
    }
  }

  /**
   * Admits an authenticated connection. Stream 0 of a new attempt supersedes the connections of
   * the previous one (a sender that Temporal gave up on may still be running) and binds the
   * journal to the source the sender describes: another source version discards the partial
   * file.
   *
   * @return the storage generation the connection writes to and, on stream 0, the blocks the
   *     journal already holds
   */
  Attachment attach(Frame.Auth auth, int stream, Closeable connection) throws IOException {
    List<Closeable> superseded = new ArrayList<>();
    lock.writeLock().lock();
    try {
      if (auth.blockSize() != record.blockSize()) {
        throw new TransferException(TransferError.PROTOCOL,
            "block size " + auth.blockSize() + " differs from the receiver's " + record.blockSize());
      }
      if (auth.sourceSize() < 0 || (auth.sourceSize() + auth.blockSize() - 1) / auth.blockSize() > Integer.MAX_VALUE) {
        throw new TransferException(TransferError.PROTOCOL, "source of " + auth.sourceSize() + " bytes");
      }
      AckJournal.Header header = new AckJournal.Header(auth.blockSize(), auth.sourceSize(), auth.fingerprint());
      if (stream == 0) {
        if (!attached || auth.attempt() != attempt) {
          superseded.addAll(connections.keySet());
          connections.clear();
          attempt = auth.attempt();
          attached = true;
          // Fence off the old attempt: a superseded connection still working through buffered
          // frames must not journal blocks after the new attempt took its snapshot of the journal.
          generation++;
        }
        if (journal == null || !journal.header().equals(header)) {
          openStorage(header);
        }
      } else if (!attached || auth.attempt() != attempt || journal == null || !journal.header().equals(header)) {
        throw new TransferException(TransferError.SUPERSEDED, "stream " + stream + " belongs to an attempt that is not current");
      }
      connections.put(connection, auth.attempt());
      return new Attachment(generation, stream == 0 ? journal.ranges() : List.of());
    } finally {
      lock.writeLock().unlock();
      closeQuietly(superseded);
    }
  }

  /** What a connection got from {@link #attach}. */
  record Attachment(long generation, List<BlockRange> acknowledged) {}

  void detach(Closeable connection) {
    connections.remove(connection);
  }

  /**
   * Writes one data block, unless the journal already holds it. Into a fresh region (see
   * {@link #writeZeros}) only its non-zero pages are written, the zero pages stay holes: the
   * group commit then forces half the bytes for guest memory, and the end-to-end hash checks the
   * holes read as the zeros they stand for.
   *
   * @param pages the connection's page runs for this block: set from the frame's zero-page
   *     bitmap, or unknown (then scanned here, and only for a fresh region)
   * @return the bytes written, which is what the next force has to put on disk
   */
  long writeData(long gen, long block, byte[] raw, int length, PageRuns pages) throws IOException {
    lock.readLock().lock();
    try {
      checkGeneration(gen);
      checkRange(block, 1);
      if (length != blockLength(block)) {
        throw new TransferException(TransferError.CORRUPT, "block " + block + " has " + length + " bytes, expected " + blockLength(block));
      }
      if (journal.isAcknowledged(block)) {
        duplicates.incrementAndGet();
        return 0;
      }
      long pos = block * record.blockSize();
      long bytes = length;
      int n = -1;
      if (!fresh(block)) {
        write(raw, length, pos);
      } else {
        n = pages.of(raw, length);
        bytes = 0;
        for (int r = 0; r < n; r++) {
          write(raw, pages.start(r), pages.length(r), pos + pages.start(r));
          bytes += pages.length(r);
        }
      }
      markWritten(block, 1);
      if (n >= 0) {
        holesBetween(pos, length, pages, n);
      }
      blocksWritten.incrementAndGet();
      return bytes;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * All-zero blocks. A fresh partial file needs nothing (the gap reads as zeros, and the commit
   * sets the length); a region that may hold older bytes (a resumed file, or a block written by
   * an earlier attempt of this session) is overwritten.
   */
  void writeZeros(long gen, long start, int count) throws IOException {
    lock.readLock().lock();
    try {
      checkGeneration(gen);
      checkRange(start, count);
      for (long b = start; b < start + count; b++) {
        if (journal.isAcknowledged(b)) {
          continue;
        }
        if (fresh(b)) {
          // Left a hole: the hash ahead need not read it back to learn it is zero.
          if (prefixHash != null) {
            long at = b * record.blockSize();
            prefixHash.holes(at, at + blockLength(b));
          }
          continue;
        }
        int len = blockLength(b);
        long pos = b * record.blockSize();
        for (int done = 0; done < len; ) {
          int n = Math.min(ZEROS.length, len - done);
          write(ZEROS, 0, n, pos + done);
          done += n;
        }
        blocksZeroed.incrementAndGet();
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Blocks {@code [start, start+count)} are the delta base's blocks from {@code from} on. Blocks
   * not yet acknowledged are copied in groups as large as {@code buffer} holds: with 4 KiB blocks
   * (the default for a re-sync) a block-by-block copy took four system calls per block (the base's
   * size, a read, a write and more), about 120,000 for a 5%-changed 256 MiB image.
   *
   * @param buffer scratch space, at least one block
   */
  void copyFromBase(long gen, long start, long from, int count, byte[] buffer) throws IOException {
    lock.readLock().lock();
    try {
      checkGeneration(gen);
      checkRange(start, count);
      FileChannel baseFile = baseChannel();
      long baseSize = baseFile.size();
      int blockSize = record.blockSize();
      int perCopy = Math.max(1, buffer.length / blockSize);
      int k = 0;
      while (k < count) {
        if (journal.isAcknowledged(start + k)) {
          k++;
          continue;
        }
        // A group: consecutive blocks the journal does not hold yet, as many as the buffer takes.
        int group = 1;
        while (group < perCopy && k + group < count && !journal.isAcknowledged(start + k + group)) {
          group++;
        }
        long first = start + k;
        long basePos = (from + k) * (long) blockSize;
        int len = (int) ((group - 1) * (long) blockSize + blockLength(first + group - 1));
        if (from + k < 0 || basePos + len > baseSize) {
          throw new TransferException(TransferError.CORRUPT, "copy of base blocks " + (from + k) + "+" + group
              + " is outside the base");
        }
        BaseSignature.readFully(baseFile, buffer, len, basePos);
        write(buffer, len, first * blockSize);
        markWritten(first, group);
        blocksCopied.addAndGet(group);
        k += group;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Forces the data, then journals {@code ranges}: after this they may be acknowledged. */
  void makeDurable(long gen, List<BlockRange> ranges) throws IOException {
    if (ranges.isEmpty()) {
      return;
    }
    lock.readLock().lock();
    try {
      checkGeneration(gen);
      partChannel.force(false);
      journal.append(ranges);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Hashes the acknowledged start of the partial file ahead of the commit (see {@link PrefixHash});
   * for the group-commit threads, after they acknowledged. Returns at once while another hashes.
   */
  void hashAhead() {
    lock.readLock().lock();
    try {
      PrefixHash h = prefixHash;
      AckJournal j = journal;
      if (h != null && j != null && partChannel != null) {
        h.advance(partChannel, j::isAcknowledged);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  void countCorrupt() {
    corrupt.incrementAndGet();
  }

  /**
   * The sender says everything is sent. Checks the commit's MAC, that the journal covers every
   * block, the length, and (with verify) the SHA-256 of the whole partial file. A hash mismatch
   * discards the partial file and journal: the bytes are wrong in a way the chunk checks did not
   * catch (a source that changed while it was read, a disk error), and resuming onto them would
   * only repeat the mismatch.
   *
   * @param keepAlive run every few seconds while hashing so the sender's reads do not time out
   */
  byte[] commit(Frame.Commit commit, byte[] challenge, Runnable keepAlive) throws IOException {
    lock.writeLock().lock();
    try {
      if (!TransferTokens.matches(TransferTokens.commitMac(token(), challenge, commit.size(), commit.sha256()), commit.mac())) {
        throw new TransferException(TransferError.BAD_TOKEN, "commit is not signed with this transfer's token");
      }
      if (journal == null || commit.size() != journal.header().sourceSize()) {
        throw new TransferException(TransferError.PROTOCOL, "commit of " + commit.size() + " bytes does not match the stream");
      }
      String claimed = Hashes.hex(commit.sha256());
      if (record.received()) {
        if (claimed.equals(record.sha256())) {
          return commit.sha256();
        }
        throw new TransferException(TransferError.VERIFY_FAILED, "already received with another SHA-256");
      }
      if (!journal.complete()) {
        throw new TransferException(TransferError.INCOMPLETE,
            "commit with " + journal.count() + " of " + journal.header().blocks() + " blocks acknowledged");
      }
      long size = commit.size();
      if (partChannel.size() > size) {
        partChannel.truncate(size);
      } else if (partChannel.size() < size) {
        // The tail was all-zero blocks that were never written: extend, sparse.
        partChannel.write(ByteBuffer.wrap(new byte[1]), size - 1);
      }
      partChannel.force(true);
      if (record.verify()) {
        byte[] actual = prefixHash != null ? prefixHash.finish(partChannel, keepAlive)
            : hash(partChannel, size, keepAlive);
        if (!Arrays.equals(actual, commit.sha256())) {
          resetStorage();
          throw new TransferException(TransferError.VERIFY_FAILED, "received file hashes to " + Hashes.hex(actual)
              + ", the sender read " + claimed + "; discarded");
        }
      }
      record = record.receivedAs(size, claimed);
      store.save(record);
      return commit.sha256();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Moves the received file onto the target, if it is what the workflow expects. Atomic: the
   * target is the old file or the whole new one, never a mix.
   */
  ReceiveOutcome land(String expectedSha256, long expectedSize) throws IOException {
    lock.writeLock().lock();
    try {
      SessionRecord r = record;
      if (!r.received()) {
        throw new TransferException(TransferError.VERIFY_FAILED,
            "transfer " + r.transferId() + " has not received every block yet; send must finish first");
      }
      if (expectedSha256 == null || !r.sha256().equalsIgnoreCase(expectedSha256) || r.size() != expectedSize) {
        throw new TransferException(TransferError.VERIFY_FAILED, "received " + r.size() + " bytes hashing to "
            + r.sha256() + "; the workflow expects " + expectedSize + " bytes hashing to " + expectedSha256);
      }
      if (!paths.stillInside(target)) {
        throw new TransferException(TransferError.PATH_REJECTED, "target " + target + " no longer resolves inside the data directory");
      }
      closeStorage();
      closeBase();
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      }
      Files.deleteIfExists(journalPath);
      closeQuietly(new ArrayList<>(connections.keySet()));
      return new ReceiveOutcome(r.transferId(), ReceiveOutcome.State.COMMITTED, target.toString(), r.size(), r.sha256());
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Drops the partial file and journal and every connection. */
  void abort() throws IOException {
    lock.writeLock().lock();
    try {
      closeQuietly(new ArrayList<>(connections.keySet()));
      connections.clear();
      resetStorage();
      closeBase();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Closes files and connections without deleting anything (the node is stopping). */
  void suspend() {
    lock.writeLock().lock();
    try {
      closeQuietly(new ArrayList<>(connections.keySet()));
      connections.clear();
      closeStorage();
      closeBase();
    } finally {
      lock.writeLock().unlock();
    }
  }

  ReceiveStats stats() {
    return new ReceiveStats(blocksWritten.get(), blocksCopied.get(), blocksZeroed.get(), duplicates.get(),
        corrupt.get(), acknowledgedOnDisk());
  }

  private void openStorage(AckJournal.Header header) throws IOException {
    closeStorage();
    generation++;
    if (record.received()) {
      record = record.reopened();
      store.save(record);
    }
    journal = AckJournal.open(journalPath, header);
    prefixHash = record.verify() ? new PrefixHash(header.sourceSize(), header.blockSize()) : null;
    partChannel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    if (!journal.resumed()) {
      partChannel.truncate(0);
    }
    mayHoldOldBytes = journal.resumed() && partChannel.size() > 0;
    synchronized (written) {
      written.clear();
    }
  }

  private void resetStorage() throws IOException {
    closeStorage();
    generation++;
    Files.deleteIfExists(part);
    Files.deleteIfExists(journalPath);
    if (record.received()) {
      record = record.reopened();
      store.save(record);
    }
  }

  private void closeStorage() {
    closeQuietly(Arrays.asList(journal, partChannel));
    journal = null;
    partChannel = null;
    prefixHash = null;
  }

  private void closeBase() {
    synchronized (baseLock) {
      closeQuietly(Arrays.asList(baseChannel));
      baseChannel = null;
    }
  }

  private FileChannel baseChannel() throws IOException {
    synchronized (baseLock) {
      if (baseChannel == null) {
        if (!record.delta() || !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
          throw new TransferException(TransferError.PROTOCOL, "copy from a delta base this transfer does not have");
        }
        baseChannel = FileChannel.open(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      }
      return baseChannel;
    }
  }

  private void checkGeneration(long gen) throws TransferException {
    if (gen != generation || journal == null) {
      throw new TransferException(TransferError.SUPERSEDED, "the partial file was reset by a newer attempt");
    }
  }

  private void checkRange(long start, int count) throws TransferException {
    if (journal == null) {
      throw new TransferException(TransferError.SUPERSEDED, "the session was reset");
    }
    if (start < 0 || count <= 0 || start + count > journal.header().blocks()) {
      throw new TransferException(TransferError.CORRUPT, "blocks " + start + "+" + count + " are outside the file");
    }
  }

  private int blockLength(long block) {
    AckJournal.Header h = journal.header();
    return (int) Math.min(h.blockSize(), h.sourceSize() - block * h.blockSize());
  }

  private void write(byte[] data, int length, long position) throws IOException {
    write(data, 0, length, position);
  }

  private void write(byte[] data, int offset, int length, long position) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(data, offset, length);
    while (b.hasRemaining()) {
      partChannel.write(b, position + (b.position() - offset));
    }
  }

  /** Tells the hash ahead which pages of a block written as {@code n} runs were left as holes. */
  private void holesBetween(long pos, int length, PageRuns pages, int n) {
    PrefixHash h = prefixHash;
    if (h == null || n == 1 && pages.start(0) == 0 && pages.length(0) == length) {
      return;
    }
    int at = 0;
    for (int r = 0; r < n; r++) {
      if (pages.start(r) > at) {
        h.holes(pos + at, pos + pages.start(r));
      }
      at = pages.start(r) + pages.length(r);
    }
    if (at < length) {
      h.holes(pos + at, pos + length);
    }
  }

  private void markWritten(long block, int count) {
    synchronized (written) {
      written.set((int) block, (int) (block + count));
    }
    PrefixHash h = prefixHash;
    if (h != null) {
      h.written(block * record.blockSize(), (block + count) * record.blockSize());
    }
  }

  /**
   * Whether block {@code block} of the partial file can hold no older bytes: the file was not
   * resumed with content, and no earlier attempt of this session wrote the block. There a hole
   * reads as the zeros it stands for, so zero pages and zero blocks need no write; anywhere else
   * they must overwrite what is there. The one rule for {@link #writeData} and {@link #writeZeros}.
   */
  private boolean fresh(long block) {
    return !mayHoldOldBytes && !wasWritten(block);
  }

  private boolean wasWritten(long block) {
    synchronized (written) {
      return written.get((int) block);
    }
  }

  private static byte[] hash(FileChannel ch, long size, Runnable keepAlive) throws IOException {
    MessageDigest sha = Hashes.sha256();
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    long pos = 0;
    long lastBeat = System.nanoTime();
    while (pos < size) {
      buf.clear();
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("partial file is shorter than " + size);
      }
      sha.update(buf.array(), 0, n);
      pos += n;
      if (System.nanoTime() - lastBeat > KEEPALIVE_NANOS) {
        keepAlive.run();
        lastBeat = System.nanoTime();
      }
    }
    return sha.digest();
  }

  private static void closeQuietly(List<? extends Closeable> closeables) {
    for (Closeable c : closeables) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        // closing is best effort: the resource is abandoned either way
      }
    }
  }
}
