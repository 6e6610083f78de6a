package io.novacron.transfer.wire;

import io.novacron.transfer.Hashes;
import io.novacron.transfer.TransferError;
import io.novacron.transfer.TransferException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads frames written by {@link FrameWriter}. A frame that fails its check, has an unknown type,
 * or a size out of bounds throws {@link TransferError#CORRUPT} or {@link TransferError#PROTOCOL};
 * a stream cut inside a frame throws {@link TransferError#PROTOCOL}. Not thread-safe.
 */
public final class FrameReader {
  private final DataInputStream in;
  private int maxDataBody;
  private int maxControlBody = Wire.MAX_CONTROL_BODY;
  private byte[] buffer = new byte[4 * 1024];

  /**
   * @param maxPayload largest payload a Data frame may carry (the block size's compression bound)
   */
  public FrameReader(InputStream in, int maxPayload) {
    this.in = new DataInputStream(in);
    this.maxDataBody = Wire.DATA_HEADER + maxPayload;
  }

  /**
   * Bounds what the next frames may claim, so that a peer that has not authenticated yet cannot
   * make the receiver allocate megabytes per connection.
   */
  public void limit(int maxControlBody, int maxPayload) {
    this.maxControlBody = maxControlBody;
    this.maxDataBody = Wire.DATA_HEADER + maxPayload;
  }

  /** The next frame, or null when the peer closed the connection between frames. */
  public Frame read() throws IOException {
    int type = in.read();
    if (type < 0) {
      return null;
    }
    try {
      int len = in.readInt();
      int max = type == Wire.DATA ? maxDataBody : maxControlBody;
      if (len < 0 || len > max) {
        throw new TransferException(TransferError.PROTOCOL, "frame of type " + type + " claims " + len + " bytes");
      }
      if (buffer.length < len) {
        buffer = new byte[Math.max(len, buffer.length * 2)];
      }
      in.readFully(buffer, 0, len);
      long check = in.readLong();
      if (type == Wire.DATA) {
        return data(len, check);
      }
      if (Hashes.xxh64(buffer, 0, len, (byte) type) != check) {
        throw new TransferException(TransferError.CORRUPT, "frame of type " + type + " failed its check");
      }
      return control((byte) type, ByteBuffer.wrap(buffer, 0, len));
    } catch (EOFException e) {
      throw new TransferException(TransferError.PROTOCOL, "connection cut inside a frame", e);
    }
  }

  private Frame data(int len, long check) throws TransferException {
    if (len < Wire.DATA_HEADER) {
      throw new TransferException(TransferError.PROTOCOL, "short data frame");
    }
    ByteBuffer h = ByteBuffer.wrap(buffer, 0, Wire.DATA_HEADER);
    long block = h.getLong();
    int codec = h.get() & 0xff;
    int rawLength = h.getInt();
    int wireLength = h.getInt();
    if (wireLength != len - Wire.DATA_HEADER || rawLength <= 0 || block < 0) {
      throw new TransferException(TransferError.CORRUPT, "data frame header is inconsistent");
    }
    long seed = Hashes.xxh64(buffer, 0, Wire.DATA_HEADER, Wire.DATA);
    return new Frame.Data(block, codec, rawLength, buffer, Wire.DATA_HEADER, wireLength, check, seed);
  }

  private static Frame control(byte type, ByteBuffer b) throws TransferException {
    try {
      switch (type) {
        case Wire.HELLO: {
          magic(b);
          byte[] id = new byte[b.getShort() & 0xffff];
          b.get(id);
          return new Frame.Hello(new String(id, StandardCharsets.UTF_8), b.getShort() & 0xffff);
        }
        case Wire.CHALLENGE: {
          magic(b);
          byte[] nonce = new byte[Wire.NONCE];
          b.get(nonce);
          return new Frame.Challenge(nonce);
        }
        case Wire.AUTH: {
          byte[] proof = new byte[Wire.MAC];
          b.get(proof);
          return new Frame.Auth(proof, b.getLong(), b.getLong(), b.getInt(), b.getLong(),
              b.getShort() & 0xffff, b.get() != 0);
        }
        case Wire.ACCEPT: {
          List<BlockRange> ranges = ranges(b);
          return new Frame.Accept(ranges, b.getLong());
        }
        case Wire.BASE_HASHES: {
          if (b.remaining() % Wire.BASE_ENTRY != 0) {
            throw new TransferException(TransferError.PROTOCOL, "base hash frame of odd size");
          }
          byte[] entries = new byte[b.remaining()];
          b.get(entries);
          return new Frame.BaseHashes(entries);
        }
        case Wire.ZERO_RUN:
          return new Frame.ZeroRun(b.getLong(), b.getInt());
        case Wire.COPY_RUN:
          return new Frame.CopyRun(b.getLong(), b.getLong(), b.getInt());
        case Wire.FLUSH:
          return new Frame.Flush();
        case Wire.COMMIT: {
          long size = b.getLong();
          byte[] sha = new byte[32];
          byte[] mac = new byte[Wire.MAC];
          b.get(sha).get(mac);
          return new Frame.Commit(size, sha, mac);
        }
        case Wire.END:
          return new Frame.End();
        case Wire.ACK:
          return new Frame.Ack(ranges(b));
        case Wire.COMMITTED: {
          byte[] sha = new byte[32];
          b.get(sha);
          return new Frame.Committed(sha);
        }
        case Wire.ERROR: {
          int code = b.get() & 0xff;
          byte[] m = new byte[b.getShort() & 0xffff];
          b.get(m);
          return new Frame.Error(code, new String(m, StandardCharsets.UTF_8));
        }
        default:
          throw new TransferException(TransferError.PROTOCOL, "unknown frame type " + type);
      }
    } catch (java.nio.BufferUnderflowException e) {
      throw new TransferException(TransferError.PROTOCOL, "frame of type " + type + " is too short");
    }
  }

  private static void magic(ByteBuffer b) throws TransferException {
    if (b.getInt() != Wire.MAGIC || (b.get() & 0xff) != Wire.VERSION) {
      throw new TransferException(TransferError.PROTOCOL, "not a NovaCron transfer peer of version " + Wire.VERSION);
    }
  }

  private static List<BlockRange> ranges(ByteBuffer b) throws TransferException {
    int n = b.getInt();
    if (n < 0 || n > b.remaining() / 12) {
      throw new TransferException(TransferError.PROTOCOL, "range list of " + n);
    }
    List<BlockRange> ranges = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long start = b.getLong();
      int count = b.getInt();
      if (start < 0 || count <= 0) {
        throw new TransferException(TransferError.PROTOCOL, "bad range " + start + "+" + count);
      }
      ranges.add(new BlockRange(start, count));
    }
    return ranges;
  }
}
