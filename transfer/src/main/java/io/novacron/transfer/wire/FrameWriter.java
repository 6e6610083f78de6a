package io.novacron.transfer.wire;

import io.novacron.transfer.Hashes;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes frames: {@code type u8 | body length u32 | body | check u64}. The check of a Data frame is
 * the XXH64 of the raw block seeded with the hash of the frame's header, so one check covers the
 * header, the codec's output and the position; other frames carry the XXH64 of their body. Not
 * thread-safe: one writer per connection, used by one thread at a time.
 */
public final class FrameWriter {
  private final DataOutputStream out;
  private final byte[] header = new byte[Wire.DATA_HEADER];

  public FrameWriter(OutputStream out) {
    this.out = new DataOutputStream(out);
  }

  public void hello(String transferId, int stream) throws IOException {
    byte[] id = transferId.getBytes(StandardCharsets.UTF_8);
    control(Wire.HELLO, ByteBuffer.allocate(4 + 1 + 2 + id.length + 2)
        .putInt(Wire.MAGIC).put((byte) Wire.VERSION).putShort((short) id.length).put(id)
        .putShort((short) stream));
  }

  public void challenge(byte[] nonce) throws IOException {
    control(Wire.CHALLENGE, ByteBuffer.allocate(4 + 1 + nonce.length)
        .putInt(Wire.MAGIC).put((byte) Wire.VERSION).put(nonce));
  }

  public void auth(Frame.Auth a) throws IOException {
    control(Wire.AUTH, ByteBuffer.allocate(Wire.MAC + 8 + 8 + 4 + 8 + 2 + 1)
        .put(a.proof()).putLong(a.attempt()).putLong(a.sourceSize()).putInt(a.blockSize())
        .putLong(a.fingerprint()).putShort((short) a.streams()).put((byte) (a.wantBase() ? 1 : 0)));
  }

  public void accept(List<BlockRange> acknowledged, long baseBlocks) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 + 12 * acknowledged.size() + 8);
    ranges(b, acknowledged);
    control(Wire.ACCEPT, b.putLong(baseBlocks));
  }

  public void baseHashes(byte[] entries, int offset, int length) throws IOException {
    control(Wire.BASE_HASHES, entries, offset, length);
  }

  /**
   * Writes one Data frame.
   *
   * @param codec the codec byte (codec id, possibly with the sparse flag)
   * @param raw the raw block (for the check)
   * @param prefix written before the payload (the zero-page bitmap of a sparse block), or null
   * @param payload what goes on the wire: the codec's output, or {@code raw} itself
   * @return bytes written
   */
  public int data(long block, int codec, byte[] raw, int rawLength, byte[] prefix, int prefixLength, byte[] payload,
      int payloadLength) throws IOException {
    int wireLength = prefixLength + payloadLength;
    ByteBuffer h = ByteBuffer.wrap(header);
    h.putLong(block).put((byte) codec).putInt(rawLength).putInt(wireLength);
    long seed = Hashes.xxh64(header, 0, Wire.DATA_HEADER, Wire.DATA);
    long check = Hashes.xxh64(raw, 0, rawLength, seed);
    out.writeByte(Wire.DATA);
    out.writeInt(Wire.DATA_HEADER + wireLength);
    out.write(header);
    if (prefixLength > 0) {
      out.write(prefix, 0, prefixLength);
    }
    out.write(payload, 0, payloadLength);
    out.writeLong(check);
    return Wire.ENVELOPE_HEAD + Wire.DATA_HEADER + wireLength + Wire.ENVELOPE_TAIL;
  }

  /** A Data frame without prefix. */
  public int data(long block, int codec, byte[] raw, int rawLength, byte[] payload, int payloadLength)
      throws IOException {
    return data(block, codec, raw, rawLength, null, 0, payload, payloadLength);
  }

  public int zeroRun(long start, int count) throws IOException {
    return control(Wire.ZERO_RUN, ByteBuffer.allocate(12).putLong(start).putInt(count));
  }

  public int copyRun(long start, long from, int count) throws IOException {
    return control(Wire.COPY_RUN, ByteBuffer.allocate(20).putLong(start).putLong(from).putInt(count));
  }

  public int flushFrame() throws IOException {
    int n = control(Wire.FLUSH, ByteBuffer.allocate(0));
    out.flush();
    return n;
  }

  public void commit(long size, byte[] sha256, byte[] mac) throws IOException {
    control(Wire.COMMIT, ByteBuffer.allocate(8 + sha256.length + mac.length).putLong(size).put(sha256).put(mac));
    out.flush();
  }

  public void end() throws IOException {
    control(Wire.END, ByteBuffer.allocate(0));
    out.flush();
  }

  public void ack(List<BlockRange> ranges) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 + 12 * ranges.size());
    ranges(b, ranges);
    control(Wire.ACK, b);
    out.flush();
  }

  public void committed(byte[] sha256) throws IOException {
    control(Wire.COMMITTED, sha256, 0, sha256.length);
    out.flush();
  }

  public void error(int code, String message) throws IOException {
    byte[] m = message.getBytes(StandardCharsets.UTF_8);
    int len = Math.min(m.length, 4000);
    control(Wire.ERROR, ByteBuffer.allocate(1 + 2 + len).put((byte) code).putShort((short) len).put(m, 0, len));
    out.flush();
  }

  public void flush() throws IOException {
    out.flush();
  }

  private static void ranges(ByteBuffer b, List<BlockRange> ranges) {
    b.putInt(ranges.size());
    for (BlockRange r : ranges) {
      b.putLong(r.start()).putInt(r.count());
    }
  }

  /** Writes a frame whose body is what was put into {@code body} (a heap buffer). */
  private int control(byte type, ByteBuffer body) throws IOException {
    return control(type, body.array(), body.arrayOffset(), body.position());
  }

  private int control(byte type, byte[] bytes, int off, int len) throws IOException {
    out.writeByte(type);
    out.writeInt(len);
    out.write(bytes, off, len);
    out.writeLong(Hashes.xxh64(bytes, off, len, type));
    return Wire.ENVELOPE_HEAD + len + Wire.ENVELOPE_TAIL;
  }
}
