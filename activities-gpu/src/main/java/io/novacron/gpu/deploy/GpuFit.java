package io.novacron.gpu.deploy;

import io.novacron.workflows.model.deploy.GpuCheck;
import io.novacron.workflows.model.deploy.LaunchRequest;
import io.novacron.workflows.model.deploy.ServingRuntime;
import io.novacron.workflows.node.GpuInfo;
import io.novacron.workflows.node.GpuInventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Whether a launch's GPUs have the free memory the plan gave each rank. Pure. */
public final class GpuFit {
  private static final double GIB = 1024.0 * 1024 * 1024;

  /** Thrown when the GPUs do not fit; the message says which and by how much. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  private GpuFit() {}

  public static GpuCheck check(GpuInventory inventory, LaunchRequest launch) {
    if (inventory.gpus().isEmpty()) {
      if (launch.runtime() == ServingRuntime.REFERENCE) {
        return new GpuCheck(inventory.node(), false,
            "no GPU on " + inventory.node() + " (" + inventory.source() + "): only the reference loader runs here");
      }
      throw new Unavailable(inventory.node() + " has no GPU (" + inventory.source() + "); "
          + launch.runtime() + " needs one: deploy elsewhere, or use the REFERENCE runtime to check the files");
    }
    List<String> fits = new ArrayList<>();
    for (int index : launch.gpus()) {
      GpuInfo gpu = inventory.gpus().stream().filter(g -> g.index() == index).findFirst()
          .orElseThrow(() -> new Unavailable(inventory.node() + " has no GPU " + index + " (has "
              + inventory.gpus().size() + ")"));
      long free = (gpu.memoryMib() - gpu.memoryUsedMib()) * 1024 * 1024;
      String line = String.format(Locale.ROOT, "GPU %d: %.1f GiB free, plan needs %.1f GiB", index, free / GIB,
          launch.requiredBytesPerGpu() / GIB);
      if (free < launch.requiredBytesPerGpu()) {
        throw new Unavailable(inventory.node() + " " + line + " (" + gpu.memoryUsedMib()
            + " MiB in use by other processes)");
      }
      fits.add(line);
    }
    return new GpuCheck(inventory.node(), true, String.join("; ", fits));
  }
}
