package io.novacron.gpu;

import io.novacron.gpu.deploy.AgentPaths;
import io.novacron.gpu.deploy.LoaderCommand;
import io.novacron.gpu.deploy.ServingSupervisor;
import io.novacron.transfer.TransferActivitiesImpl;
import io.novacron.transfer.TransferMetrics;
import io.novacron.transfer.TransferConfig;
import io.novacron.transfer.TransferNode;
import io.temporal.worker.Worker;
import java.io.IOException;

/**
 * What one GPU agent runs besides its Temporal worker: its transfer engine (own port, own data
 * directory) and its serving supervisor. The agent's main and the end-to-end tests build agents
 * the same way.
 */
public final class GpuAgentServices implements AutoCloseable {
  private final NvidiaSmiInventory inventory;
  private final AgentPaths paths;
  private final TransferNode transfers;
  private final ServingSupervisor supervisor;

  private GpuAgentServices(NvidiaSmiInventory inventory, AgentPaths paths, TransferNode transfers,
      ServingSupervisor supervisor) {
    this.inventory = inventory;
    this.paths = paths;
    this.transfers = transfers;
    this.supervisor = supervisor;
  }

  /** Starts the transfer engine over {@code paths}' data directory; open receives resume. */
  public static GpuAgentServices start(NvidiaSmiInventory inventory, AgentPaths paths, TransferConfig transfer)
      throws IOException {
    TransferNode node = TransferNode.start(transfer);
    return new GpuAgentServices(inventory, paths, node,
        new ServingSupervisor(paths.dataDir(), LoaderCommand.current()));
  }

  /** Registers the GPU and transfer activities on the node's {@code gpu.<node>} worker. */
  public void register(Worker worker, TransferMetrics metrics) {
    worker.registerActivitiesImplementations(new GpuActivitiesImpl(inventory, paths, supervisor),
        new TransferActivitiesImpl(transfers, metrics));
  }

  /** As {@link #register(Worker, TransferMetrics)}, without exported transfer metrics. */
  public void register(Worker worker) {
    register(worker, TransferMetrics.unexported());
  }

  public NvidiaSmiInventory inventory() {
    return inventory;
  }

  public TransferNode transfers() {
    return transfers;
  }

  public ServingSupervisor supervisor() {
    return supervisor;
  }

  /**
   * Stops the transfer engine (partial files and journals stay for the next start). Serving
   * processes keep running: a deployment outlives an agent restart, and the next agent finds them
   * through their pid files.
   */
  @Override
  public void close() {
    transfers.close();
  }
}
