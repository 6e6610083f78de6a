package io.novacron.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * Deterministic test and benchmark data, page by page (4 KiB), from a seed.
 *
 * <ul>
 *   <li>{@link Shape#RAM}: like the memory of an idle guest: half zero pages (never touched or
 *       freed and zeroed), 30% text (page cache of logs, configs, code), 20% random (compressed
 *       or encrypted data, heap noise).
 *   <li>{@link Shape#DISK}: like a mostly empty disk image: 90% of 64 KiB extents zero, the rest
 *       an even mix of text and random pages (a fresh filesystem with some files).
 *   <li>{@link Shape#RANDOM}, {@link Shape#TEXT}, {@link Shape#ZEROS}: one kind only.
 * </ul>
 */
public final class DataSets {
  public static final int PAGE = 4096;
  private static final String[] WORDS = {
      "INFO", "WARN", "DEBUG", "request", "served", "GET", "/api/v1/vms", "status=200", "latency_ms=",
      "user=admin", "node=kvm-", "migration", "started", "completed", "disk", "qcow2", "bytes=", "the",
      "of", "and", "to", "in", "is", "kernel:", "eth0", "link", "up", "systemd[1]:", "Started", "session",
      "sshd", "Accepted", "publickey", "for", "root", "from", "port", "ssh2", "cron", "CMD", "(run-parts",
      "/etc/cron.hourly)", "{\"id\":", "\"name\":", "\"state\":\"running\"", "}", "=", ";", "return", "if"};

  /** Data set kinds. */
  public enum Shape { RAM, DISK, RANDOM, TEXT, ZEROS }

  private DataSets() {}

  /** Writes {@code size} bytes of {@code shape} to {@code file}. */
  public static void write(Path file, Shape shape, long size, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] chunk = new byte[1 << 20];
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      long pos = 0;
      while (pos < size) {
        int len = (int) Math.min(chunk.length, size - pos);
        fill(shape, chunk, len, pos, random);
        ByteBuffer b = ByteBuffer.wrap(chunk, 0, len);
        while (b.hasRemaining()) {
          out.write(b);
        }
        pos += len;
      }
      // On disk before anyone measures: writeback of fresh pages would compete with the runs.
      out.force(true);
    }
  }

  /**
   * Copies {@code source} to {@code target} and overwrites a span inside {@code fraction} of its
   * {@code blockSize} blocks, chosen at random; returns how many blocks differ.
   */
  public static long modifiedCopy(Path source, Path target, double fraction, int blockSize, long seed)
      throws IOException {
    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    long size = Files.size(target);
    long blocks = size / blockSize;
    long wanted = Math.round(blocks * fraction);
    SplittableRandom random = new SplittableRandom(seed);
    java.util.BitSet chosen = new java.util.BitSet();
    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      byte[] block = new byte[blockSize];
      while (chosen.cardinality() < wanted) {
        int b = random.nextInt((int) blocks);
        if (chosen.get(b)) {
          continue;
        }
        chosen.set(b);
        ByteBuffer buf = ByteBuffer.wrap(block);
        ch.read(buf, (long) b * blockSize);
        int at = random.nextInt(blockSize - 64);
        int len = 1 + random.nextInt(64);
        for (int i = at; i < at + len; i++) {
          // XOR with a non-zero byte: every touched byte changes, so the block differs for sure.
          block[i] ^= (byte) (1 + random.nextInt(255));
        }
        ch.write(ByteBuffer.wrap(block), (long) b * blockSize);
      }
      ch.force(true);
    }
    return wanted;
  }

  private static void fill(Shape shape, byte[] chunk, int len, long offset, SplittableRandom random) {
    for (int p = 0; p < len; p += PAGE) {
      int n = Math.min(PAGE, len - p);
      long page = (offset + p) / PAGE;
      switch (shape) {
        case ZEROS -> zero(chunk, p, n);
        case RANDOM -> random(chunk, p, n, random);
        case TEXT -> text(chunk, p, n, random);
        case RAM -> {
          int roll = random.nextInt(100);
          if (roll < 50) {
            zero(chunk, p, n);
          } else if (roll < 80) {
            text(chunk, p, n, random);
          } else {
            random(chunk, p, n, random);
          }
        }
        case DISK -> {
          // Decide per 64 KiB extent (16 pages) so that zero runs are long, as in a real image.
          long extent = page / 16;
          boolean used = new SplittableRandom(extent * 0x9E3779B97F4A7C15L).nextInt(100) < 10;
          if (!used) {
            zero(chunk, p, n);
          } else if (random.nextBoolean()) {
            text(chunk, p, n, random);
          } else {
            random(chunk, p, n, random);
          }
        }
        default -> throw new IllegalStateException(shape.name());
      }
    }
  }

  private static void zero(byte[] b, int off, int len) {
    java.util.Arrays.fill(b, off, off + len, (byte) 0);
  }

  private static void random(byte[] b, int off, int len, SplittableRandom random) {
    for (int i = off; i < off + len; i += 8) {
      long v = random.nextLong();
      for (int k = 0; k < 8 && i + k < off + len; k++) {
        b[i + k] = (byte) (v >>> (8 * k));
      }
    }
  }

  private static void text(byte[] b, int off, int len, SplittableRandom random) {
    int i = off;
    int end = off + len;
    while (i < end) {
      String w = random.nextInt(6) == 0 ? Integer.toString(random.nextInt(100_000)) : WORDS[random.nextInt(WORDS.length)];
      byte[] bytes = w.getBytes(StandardCharsets.US_ASCII);
      for (int k = 0; k < bytes.length && i < end; k++) {
        b[i++] = bytes[k];
      }
      if (i < end) {
        b[i++] = (byte) (random.nextInt(12) == 0 ? '\n' : ' ');
      }
    }
  }
}
