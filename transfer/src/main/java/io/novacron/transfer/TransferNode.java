package io.novacron.transfer;

import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.ReceiveOutcome;
import io.novacron.workflows.transfer.TransferProgress;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's transfer engine: the receiver listening on its port and the sender, over one data
 * directory. Every host agent runs one; {@link TransferActivitiesImpl} exposes it to workflows.
 */
public final class TransferNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TransferNode.class);

  private final TransferReceiver receiver;
  private final TransferSender sender;
  private final TransferServer server;

  private TransferNode(TransferReceiver receiver, TransferSender sender, TransferServer server) {
    this.receiver = receiver;
    this.sender = sender;
    this.server = server;
  }

  /** Starts listening; open transfers found on disk resume. */
  public static TransferNode start(TransferConfig config) throws IOException {
    return start(config, SenderSettings.defaults(), Clock.systemUTC());
  }

  public static TransferNode start(TransferConfig config, SenderSettings settings, Clock clock) throws IOException {
    TransferPaths paths = new TransferPaths(config.dataDir());
    TransferTokens tokens = new TransferTokens(config.secret());
    TransferReceiver receiver = new TransferReceiver(paths, tokens, config.advertisedHost(), clock, config.tokenTtl());
    TransferServer server = new TransferServer(config.bindAddress(), config.bindPort(), config.tls(), receiver);
    receiver.port(server.port());
    server.start();
    log.info("transfer engine on {}:{} (advertised as {}), {}, over {}",
        config.bindAddress() == null ? "*" : config.bindAddress().getHostAddress(), server.port(),
        config.advertisedHost(), config.tls() == null ? "plaintext" : "mutual TLS 1.3 as " + config.tls().subject(),
        paths.root());
    return new TransferNode(receiver, new TransferSender(paths, settings, config.tls()), server);
  }

  /** The port the receiver listens on. */
  public int port() {
    return server.port();
  }

  /** See {@link io.novacron.workflows.transfer.TransferActivities#openReceive}. */
  public ReceiveEndpoint openReceive(TransferRequest request) throws IOException {
    return receiver.open(request);
  }

  /** See {@link io.novacron.workflows.transfer.TransferActivities#send}. */
  public TransferResult send(TransferRequest request, ReceiveEndpoint endpoint, ProgressListener listener,
      TransferProgress previous) throws IOException, InterruptedException {
    return sender.send(request, endpoint, listener, previous);
  }

  /** Sends without a listener or an earlier attempt. */
  public TransferResult send(TransferRequest request, ReceiveEndpoint endpoint) throws IOException, InterruptedException {
    return send(request, endpoint, ProgressListener.NONE, null);
  }

  /** See {@link io.novacron.workflows.transfer.TransferActivities#closeReceive}. */
  public ReceiveOutcome closeReceive(CloseReceiveRequest request) throws IOException {
    return receiver.close(request);
  }

  /** Counters of an open receive on this node, or null. */
  public ReceiveStats receiveStats(String transferId) {
    return receiver.stats(transferId);
  }

  /** Stops listening and drops connections; partial files and journals stay for a restart. */
  @Override
  public void close() {
    server.close();
    receiver.suspendAll();
  }
}
