package io.novacron.transfer;

import io.novacron.transfer.codec.ChunkDecompressor;
import io.novacron.transfer.codec.Codec;
import io.novacron.transfer.codec.ZeroPages;
import io.novacron.transfer.wire.BlockRange;
import io.novacron.transfer.wire.Frame;
import io.novacron.transfer.wire.FrameReader;
import io.novacron.transfer.wire.FrameWriter;
import io.novacron.transfer.wire.Wire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One incoming connection: handshake (hello, challenge, proof), then frames until the sender ends
 * the stream.
 *
 * <p>Acknowledgements are group-committed ({@link DurableAcks}, on a thread of its own so that the
 * frame loop keeps reading while the disk syncs): blocks are written as they arrive, and every
 * {@value DurableAcks#SYNC_BYTES} bytes, every 250 ms, on a Flush and before a Commit the
 * connection forces the partial file, journals the blocks and only then acknowledges them. A frame that fails its
 * check drops the connection with a CORRUPT error; what was verified before it is still journaled,
 * so the sender's reconnect resumes after it.
 */
final class ReceiveConnection implements Runnable, Closeable {
  private static final Logger log = LoggerFactory.getLogger(ReceiveConnection.class);
  static final int HANDSHAKE_TIMEOUT_MS = 30_000;
  static final int IDLE_TIMEOUT_MS = 120_000;
  static final int MAX_STREAMS = 64;
  static final int PRE_AUTH_MAX_BODY = 4096;
  static final int COPY_BUFFER_BYTES = 256 * 1024;

  private final Socket socket;
  private final TransferReceiver receiver;
  private final SecureRandom random;
  private final Runnable onClose;

  ReceiveConnection(Socket socket, TransferReceiver receiver, SecureRandom random, Runnable onClose) {
    this.socket = socket;
    this.receiver = receiver;
    this.random = random;
    this.onClose = onClose;
  }

  @Override
  public void run() {
    ReceiveSession session = null;
    FrameWriter out = null;
    String who = String.valueOf(socket.getRemoteSocketAddress());
    try {
      socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
      socket.setTcpNoDelay(true);
      // Until the peer has proven it holds the token, frames are small (Hello, Auth).
      BufferedInputStream raw = new BufferedInputStream(socket.getInputStream(), 256 * 1024);
      if (!(socket instanceof SSLSocket) && TlsRecords.startsWithTls(raw)) {
        // Answering in plaintext would only garble the peer's handshake: say it here and hang up.
        log.warn("transfer connection from {} refused: it speaks TLS and this receiver does not (set {}, {} and {}"
            + " here too)", who, TransferTlsSettings.CERT, TransferTlsSettings.KEY, TransferTlsSettings.CA);
        return;
      }
      FrameReader in = new FrameReader(raw, 0);
      in.limit(PRE_AUTH_MAX_BODY, 0);
      out = new FrameWriter(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
      if (!(in.read() instanceof Frame.Hello hello)) {
        throw new TransferException(TransferError.PROTOCOL, "expected a hello");
      }
      who = hello.transferId() + "/" + hello.stream() + " from " + who;
      ReceiveSession found = receiver.session(hello.transferId());
      if (found == null) {
        throw new TransferException(TransferError.UNKNOWN_TRANSFER, "no open transfer " + hello.transferId());
      }
      byte[] challenge = new byte[Wire.NONCE];
      random.nextBytes(challenge);
      out.challenge(challenge);
      out.flush();
      if (!(in.read() instanceof Frame.Auth auth)) {
        throw new TransferException(TransferError.PROTOCOL, "expected the proof");
      }
      if (receiver.now() >= found.record().expiresAtMillis()) {
        throw new TransferException(TransferError.EXPIRED, "the token of " + hello.transferId() + " expired");
      }
      byte[] expected = TransferTokens.proof(found.token(), challenge, hello.transferId(), hello.stream());
      if (!TransferTokens.matches(expected, auth.proof())) {
        throw new TransferException(TransferError.BAD_TOKEN, "wrong token for transfer " + hello.transferId());
      }
      if (hello.stream() >= MAX_STREAMS) {
        throw new TransferException(TransferError.PROTOCOL, "stream " + hello.stream());
      }
      ReceiveSession.Attachment attachment = found.attach(auth, hello.stream(), this);
      session = found;
      int blockSize = session.record().blockSize();
      in.limit(Wire.MAX_CONTROL_BODY, ZeroPages.bitmapBytes(blockSize)
          + (int) com.github.luben.zstd.Zstd.compressBound(blockSize));
      BaseSignature base = hello.stream() == 0 && auth.wantBase() ? session.base() : null;
      out.accept(attachment.acknowledged(), base == null ? 0 : base.blocks());
      if (base != null) {
        byte[] entries = base.entries();
        int step = Wire.BASE_ENTRY * Wire.BASE_ENTRIES_PER_FRAME;
        for (int off = 0; off < entries.length; off += step) {
          out.baseHashes(entries, off, Math.min(step, entries.length - off));
        }
      }
      out.flush();
      socket.setSoTimeout(IDLE_TIMEOUT_MS);
      new Stream(session, attachment.generation(), hello.stream(), challenge, in, out).run();
    } catch (SSLException e) {
      // No frame can reach a peer whose TLS failed: the log is where the operator learns why.
      if (session == null) {
        log.warn("transfer connection {} refused: TLS failed before the handshake completed ({}); the sender needs"
            + " TLS 1.3 and a certificate from the CA in {}", who, e.getMessage(), TransferTlsSettings.CA);
      } else {
        log.info("transfer connection {} dropped: {}", who, e.toString());
      }
    } catch (TransferException e) {
      if (e.error() == TransferError.CORRUPT && session != null) {
        session.countCorrupt();
      }
      log.info("transfer connection {} dropped: {} ({})", who, e.getMessage(), e.error());
      sendError(out, e.error(), e.getMessage());
    } catch (IOException | RuntimeException e) {
      log.debug("transfer connection {} ended: {}", who, e.toString());
      sendError(out, TransferError.INTERNAL, "receiver failed: " + e.getMessage());
    } catch (InterruptedException e) {
      // The node is stopping; the sender resumes from what was acknowledged.
      Thread.currentThread().interrupt();
      log.debug("transfer connection {} interrupted", who);
    } finally {
      if (session != null) {
        session.detach(this);
      }
      close();
      onClose.run();
    }
  }

  /**
   * Drops the connection at once, as a node that stops does. A TLS socket's orderly close waits
   * for a write in progress (a peer that stopped reading holds it until the idle timeout) and
   * then sends close_notify: with linger 0 it does neither and the peer sees a reset.
   */
  void abort() {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // closing anyway
    }
    close();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do with a socket that does not close
    }
  }

  private static void sendError(FrameWriter out, TransferError error, String message) {
    if (out == null) {
      return;
    }
    try {
      out.error(error.code(), message == null ? error.name() : message);
    } catch (IOException e) {
      // the peer is gone; the error was for it
    }
  }

  /** The frame loop of an admitted connection. */
  private static final class Stream {
    private final ReceiveSession session;
    private final long generation;
    private final int stream;
    private final byte[] challenge;
    private final FrameReader in;
    private final FrameWriter out;
    private final byte[] raw;
    private final byte[] packed;
    private final PageRuns pages;
    /** Scratch for CopyRun frames, several blocks per read and write (see copyFromBase); on first use. */
    private byte[] copyBuffer;

    Stream(ReceiveSession session, long generation, int stream, byte[] challenge, FrameReader in, FrameWriter out) {
      this.session = session;
      this.generation = generation;
      this.stream = stream;
      this.challenge = challenge;
      this.in = in;
      this.out = out;
      this.raw = new byte[session.record().blockSize()];
      this.packed = new byte[session.record().blockSize()];
      this.pages = new PageRuns(session.record().blockSize());
    }

    void run() throws IOException, InterruptedException {
      try (ChunkDecompressor decompressor = new ChunkDecompressor();
          DurableAcks acks = new DurableAcks(session, generation, out, "transfer-sync-" + stream)) {
        try {
          frames(decompressor, acks);
        } catch (IOException | RuntimeException e) {
          // Blocks verified before the failure are good: journal them so the resume skips them.
          try {
            acks.drain();
          } catch (IOException | RuntimeException ignored) {
            // the original failure is what matters
          }
          throw e;
        }
      }
    }

    private void frames(ChunkDecompressor decompressor, DurableAcks acks) throws IOException, InterruptedException {
      while (true) {
        Frame frame = in.read();
        if (frame == null || frame instanceof Frame.End) {
          acks.drain();
          return;
        }
        if (frame instanceof Frame.Data d) {
          // Counted as the bytes written (zero pages may stay holes): that is what a force costs.
          acks.add(d.block(), 1, receive(d, decompressor), d.rawLength());
        } else if (frame instanceof Frame.ZeroRun z) {
          session.writeZeros(generation, z.start(), z.count());
          acks.add(z.start(), z.count(), 0, (long) z.count() * raw.length);
        } else if (frame instanceof Frame.CopyRun c) {
          if (copyBuffer == null) {
            copyBuffer = new byte[Math.max(raw.length, COPY_BUFFER_BYTES)];
          }
          session.copyFromBase(generation, c.start(), c.from(), c.count(), copyBuffer);
          acks.add(c.start(), c.count(), (long) c.count() * raw.length, (long) c.count() * raw.length);
        } else if (frame instanceof Frame.Flush) {
          acks.flush();
        } else if (frame instanceof Frame.Commit c) {
          if (stream != 0) {
            throw new TransferException(TransferError.PROTOCOL, "commit on stream " + stream);
          }
          acks.drain();
          byte[] sha = session.commit(c, challenge, this::keepAlive);
          synchronized (out) {
            out.committed(sha);
          }
        } else {
          throw new TransferException(TransferError.PROTOCOL, "unexpected " + frame.getClass().getSimpleName());
        }
      }
    }

    /** Checks and writes one Data frame; returns the bytes written to the partial file. */
    private long receive(Frame.Data d, ChunkDecompressor decompressor) throws IOException {
      boolean sparse = (d.codec() & ZeroPages.SPARSE) != 0;
      Codec codec = Codec.ofId(d.codec() & ~ZeroPages.SPARSE);
      if (codec == null || d.rawLength() > raw.length) {
        throw new TransferException(TransferError.CORRUPT, "block " + d.block() + ": codec " + d.codec()
            + ", " + d.rawLength() + " bytes");
      }
      boolean ok;
      if (sparse) {
        int bitmapLength = ZeroPages.bitmapBytes(d.rawLength());
        int packedLength = d.length() < bitmapLength ? -1 : ZeroPages.packedLength(d.payload(), d.offset(), d.rawLength());
        ok = packedLength >= 0 && (packedLength == 0
            ? d.length() == bitmapLength
            : decompressor.decompress(codec, d.payload(), d.offset() + bitmapLength, d.length() - bitmapLength,
                packed, packedLength));
        if (ok) {
          ZeroPages.unpack(d.payload(), d.offset(), packed, raw, d.rawLength());
          // The sender found the zero pages: the write path need not scan for them again.
          pages.fromBitmap(d.payload(), d.offset(), d.rawLength());
        }
      } else {
        ok = decompressor.decompress(codec, d.payload(), d.offset(), d.length(), raw, d.rawLength());
        pages.unknown();
      }
      if (!ok) {
        throw new TransferException(TransferError.CORRUPT, "block " + d.block() + " did not decompress");
      }
      if (Hashes.xxh64(raw, 0, d.rawLength(), d.headerSeed()) != d.check()) {
        throw new TransferException(TransferError.CORRUPT, "block " + d.block() + " failed its checksum");
      }
      return session.writeData(generation, d.block(), raw, d.rawLength(), pages);
    }

    private void keepAlive() {
      try {
        synchronized (out) {
          out.ack(List.of());
        }
      } catch (IOException e) {
        // the sender will see the commit fail
      }
    }
  }
}
