package io.novacron.transfer;

import io.novacron.workflows.FieldError;
import io.novacron.workflows.transfer.BlockSizeChoice;
import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.ReceiveOutcome;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferRequestValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of a node's transfer engine: opens transfers (session, token, delta base),
 * finds them for incoming connections, and commits or aborts them.
 */
public final class TransferReceiver {
  private static final Logger log = LoggerFactory.getLogger(TransferReceiver.class);

  private final TransferPaths paths;
  private final TransferTokens tokens;
  private final SessionStore store;
  private final String host;
  private final Clock clock;
  private final Duration ttl;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, ReceiveSession> sessions = new ConcurrentHashMap<>();
  private volatile int port;

  TransferReceiver(TransferPaths paths, TransferTokens tokens, String host, Clock clock, Duration ttl) throws IOException {
    this.paths = paths;
    this.tokens = tokens;
    this.store = new SessionStore(paths.stateDir());
    this.host = host;
    this.clock = clock;
    this.ttl = ttl;
    for (SessionRecord r : store.loadAll()) {
      sessions.put(r.transferId(), new ReceiveSession(r, store, tokens, paths));
    }
    if (!sessions.isEmpty()) {
      log.info("resuming {} open transfer(s): {}", sessions.size(), sessions.keySet());
    }
  }

  void port(int port) {
    this.port = port;
  }

  /** See {@link io.novacron.workflows.transfer.TransferActivities#openReceive}. */
  public ReceiveEndpoint open(TransferRequest request) throws IOException {
    List<FieldError> errors = TransferRequestValidator.validate(request);
    if (!errors.isEmpty()) {
      throw new TransferException(TransferError.INVALID,
          errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    }
    Path target = paths.target(request.targetPath());
    ReceiveSession session;
    synchronized (this) {
      if (store.tombstone(request.transferId()) != null) {
        throw new TransferException(TransferError.INVALID,
            "transfer id " + request.transferId() + " was already used and closed; use a new id");
      }
      session = sessions.get(request.transferId());
      long now = clock.millis();
      if (session != null) {
        SessionRecord r = session.record();
        int requested = request.options().blockSize();
        if (!r.target().equals(target.toString())
            || (requested != TransferOptions.AUTO_BLOCK_SIZE && r.blockSize() != requested)) {
          throw new TransferException(TransferError.INVALID, "transfer id " + request.transferId()
              + " is already open for another target or block size");
        }
        if (r.expiresAtMillis() <= now) {
          session.renew(newNonce(), now + ttl.toMillis());
        }
      } else {
        // Chosen once, when the transfer opens, and kept in the session record: a resumed transfer
        // must keep the block size its journal counts in.
        int blockSize = BlockSizeChoice.resolve(request.options().blockSize(), request.options().delta(),
            Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) ? Files.size(target) : 0);
        SessionRecord r = new SessionRecord(request.transferId(), target.toString(), blockSize,
            request.options().delta(), request.options().verify(), newNonce(), now + ttl.toMillis(), false, 0, null);
        store.save(r);
        session = new ReceiveSession(r, store, tokens, paths);
        sessions.put(r.transferId(), session);
      }
    }
    BaseSignature base = session.base();
    SessionRecord r = session.record();
    log.info("transfer {} opened into {} (delta base: {} blocks)", r.transferId(), target,
        base == null ? 0 : base.blocks());
    return new ReceiveEndpoint(r.transferId(), host, port, session.token(), r.expiresAtMillis(), r.blockSize(),
        base == null ? 0 : base.size(), base == null ? 0 : base.blocks(), base == null ? null : base.digest(),
        session.acknowledgedOnDisk());
  }

  /** See {@link io.novacron.workflows.transfer.TransferActivities#closeReceive}. */
  public ReceiveOutcome close(CloseReceiveRequest request) throws IOException {
    String id = request.transferId();
    synchronized (this) {
      ReceiveSession session = sessions.get(id);
      if (session == null) {
        ReceiveOutcome done = store.tombstone(id);
        if (done != null) {
          if (request.commit() && done.state() != ReceiveOutcome.State.COMMITTED) {
            throw new TransferException(TransferError.VERIFY_FAILED, "transfer " + id + " was aborted");
          }
          return done;
        }
        if (request.commit()) {
          throw new TransferException(TransferError.UNKNOWN_TRANSFER, "no open transfer " + id + " on this node");
        }
        // Remember the abort, so that an openReceive that arrives late cannot reopen the id.
        ReceiveOutcome aborted = new ReceiveOutcome(id, ReceiveOutcome.State.ABORTED, "", 0, null);
        store.tombstone(aborted);
        return aborted;
      }
      ReceiveOutcome outcome;
      if (request.commit()) {
        outcome = session.land(request.expectedSha256(), request.expectedSize());
      } else {
        session.abort();
        outcome = new ReceiveOutcome(id, ReceiveOutcome.State.ABORTED, session.target().toString(), 0, null);
      }
      store.tombstone(outcome);
      store.delete(id);
      sessions.remove(id);
      log.info("transfer {} {}: {}", id, outcome.state(), outcome.path());
      return outcome;
    }
  }

  /** The open transfer of that id, or null. */
  ReceiveSession session(String transferId) {
    return sessions.get(transferId);
  }

  long now() {
    return clock.millis();
  }

  /** Counters of an open transfer, or null when it is not open. */
  public ReceiveStats stats(String transferId) {
    ReceiveSession s = sessions.get(transferId);
    return s == null ? null : s.stats();
  }

  /** Closes every session's files and connections, keeping them on disk for a restart. */
  void suspendAll() {
    sessions.values().forEach(ReceiveSession::suspend);
  }

  private String newNonce() {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return Hashes.hex(nonce);
  }
}
