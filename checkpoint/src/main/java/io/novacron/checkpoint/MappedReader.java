package io.novacron.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;

/**
 * Reads a file front to back through a sliding memory-mapped window, handing out views of the
 * page cache itself: unlike {@link SequentialReader} no byte is copied into the process to be
 * hashed, and a positional write of a view is the one copy a byte makes (page cache to page
 * cache), as in {@code transferTo}. The heap holds nothing of the file.
 *
 * <p>Each window is unmapped as soon as the next one is mapped (and on {@link #close}), not when
 * the garbage collector gets round to it: a 400 GiB checkpoint would otherwise pile up tens of
 * thousands of mappings against the kernel's per-process limit ({@code vm.max_map_count}, 65530 by
 * default). So a view must not be used after the next {@link #next} or {@link #close}: it would
 * point at unmapped memory.
 *
 * <p>A mapped file that another process shrinks faults when a page past its new end is read
 * (SIGBUS). Java 17 turns that into an {@link InternalError} raised at some later safepoint of the
 * reading thread, possibly inside unrelated code holding a lock, so the reader avoids relying on it:
 * every window is sized to the file as it is when mapped, and {@link #changedSinceOpen} lets the
 * caller check, after each piece it trusts, that the file is the one it opened.
 */
final class MappedReader implements AutoCloseable {
  private static final Unmapper UNMAPPER = Unmapper.find();

  private final Path file;
  private final FileChannel channel;
  private final long sizeAtOpen;
  private final FileTime modifiedAtOpen;
  private final int windowBytes;
  private MappedByteBuffer window;
  private long windowStart;
  private long position;

  /** @param windowBytes the most mapped at once */
  MappedReader(Path file, int windowBytes) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.sizeAtOpen = channel.size();
    this.modifiedAtOpen = Files.getLastModifiedTime(file);
    this.windowBytes = windowBytes;
  }

  Path file() {
    return file;
  }

  /** Moves to absolute offset {@code to}. */
  void seek(long to) {
    position = to;
  }

  /**
   * A view of the next bytes, at most {@code max} of them and at least one, valid until the next
   * call (or {@link #close}). Advances past them.
   */
  ByteBuffer next(long max) throws IOException {
    if (window == null || position < windowStart || position >= windowStart + window.capacity()) {
      remap();
    }
    int offset = (int) (position - windowStart);
    int n = (int) Math.min(max, window.capacity() - offset);
    position += n;
    return window.duplicate().position(offset).limit(offset + n).slice();
  }

  private void remap() throws IOException {
    unmap();
    // The size now, not at open: a window past the end of a file that shrank would fault.
    long size = channel.size();
    if (position >= size) {
      throw new EOFException(file + ": unexpected end of file at offset " + position);
    }
    windowStart = position;
    window = channel.map(FileChannel.MapMode.READ_ONLY, windowStart, Math.min(windowBytes, size - windowStart));
  }

  /**
   * Whether the file's size or modification time differs from when this reader opened it: bytes
   * read since may not be the file's. A stat of the file, cheap enough to call once per tensor.
   */
  boolean changedSinceOpen() throws IOException {
    return channel.size() != sizeAtOpen || !Files.getLastModifiedTime(file).equals(modifiedAtOpen);
  }

  private void unmap() {
    if (window != null) {
      MappedByteBuffer old = window;
      window = null;
      UNMAPPER.unmap(old);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      unmap();
    } finally {
      channel.close();
    }
  }

  /**
   * Releases a mapping now. {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported) is the
   * JDK's supported way for a direct buffer's owner to do so; where it is missing the mapping is left
   * to the garbage collector, which is correct, only later.
   */
  private record Unmapper(Object unsafe, java.lang.reflect.Method invokeCleaner) {
    static Unmapper find() {
      try {
        Class<?> type = Class.forName("sun.misc.Unsafe");
        Field field = type.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        return new Unmapper(field.get(null), type.getMethod("invokeCleaner", ByteBuffer.class));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return new Unmapper(null, null);
      }
    }

    void unmap(MappedByteBuffer buffer) {
      if (invokeCleaner == null) {
        return;
      }
      try {
        invokeCleaner.invoke(unsafe, buffer);
      } catch (ReflectiveOperationException e) {
        // Left to the garbage collector, as without Unsafe.
      }
    }
  }
}
