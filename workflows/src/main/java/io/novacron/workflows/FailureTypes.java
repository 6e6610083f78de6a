package io.novacron.workflows;

/**
 * Types of the non-retryable business failures workflows and activities raise. A caller matches on
 * these strings (ApplicationFailure.getType()); they are part of the API.
 */
public final class FailureTypes {
  /** The request names a field with a bad value; the message names the field and the fix. */
  public static final String INVALID_SPEC = "InvalidSpec";
  /** The request names a node that never announced itself. */
  public static final String UNKNOWN_NODE = "UnknownNode";
  /** No fresh node has the capacity (or the image) the request needs. */
  public static final String NO_CAPACITY = "NoCapacity";
  /** A VM of that name already exists or is being provisioned. */
  public static final String VM_EXISTS = "VmExists";
  /** The node's image library has no image of that name. */
  public static final String IMAGE_NOT_FOUND = "ImageNotFound";
  /**
   * A pulled or imported image does not hash to its registered SHA-256 (or is larger than
   * allowed, or comes from a host the operator did not allow): nothing landed in the library.
   */
  public static final String IMAGE_VERIFY_FAILED = "ImageVerifyFailed";
  /** A libvirt domain of that name exists but is not ours (another UUID). */
  public static final String DOMAIN_CONFLICT = "DomainConflict";
  /** The domain did not reach or keep the running state. */
  public static final String DOMAIN_NOT_RUNNING = "DomainNotRunning";

  /** The target host's CPU cannot run what the source host's CPU runs. */
  public static final String CPU_INCOMPATIBLE = "CpuIncompatible";
  /** libvirt failed the migration; the VM still runs on the source. */
  public static final String MIGRATION_FAILED = "MigrationFailed";
  /** The migration ran past its completion timeout or stalled and was aborted. */
  public static final String MIGRATION_TIMEOUT = "MigrationTimeout";
  /** A node's agent or its hypervisor did not answer a step (down, unreachable, daemon stopped). */
  public static final String NODE_UNAVAILABLE = "NodeUnavailable";
  /** A removal found the VM running on the node it was to be removed from: nothing was removed. */
  public static final String COPY_RUNNING = "CopyRunning";
  /** A removal found a libvirt job running for the VM on that node: nothing was removed. */
  public static final String COPY_BUSY = "CopyBusy";
  /**
   * A disk removal found a domain of that name still defined on the node (another run's, or one
   * whose undefine failed): the disk is that domain's and was kept.
   */
  public static final String DISK_IN_USE = "DiskInUse";
  /**
   * A change that needs the VM stopped (resize: vCPUs, memory, disk) found its domain active on
   * the node: nothing was changed.
   */
  public static final String VM_NOT_STOPPED = "VmNotStopped";
  /** The node has no root disk for the VM in its pool: nothing to grow. */
  public static final String DISK_NOT_FOUND = "DiskNotFound";

  /** The planner found no layout of the model on the target nodes; the message says why. */
  public static final String PLAN_REJECTED = "PlanRejected";
  /** The checkpoint cannot be read or sharded (bad config, header, dtype or shape). */
  public static final String CHECKPOINT_INVALID = "CheckpointInvalid";
  /** A node's shard files do not match the manifest's checksums. */
  public static final String SHARD_VERIFY_FAILED = "ShardVerifyFailed";
  /** A node's GPUs have less free memory than the plan needs, or the node has none for vLLM. */
  public static final String GPU_UNAVAILABLE = "GpuUnavailable";
  /** Another run of the same deployment serves on the node; it must be stopped first. */
  public static final String DEPLOYMENT_BUSY = "DeploymentBusy";
  /** A node's part of a deployment stopped because another node's failed. */
  public static final String DEPLOY_ABORTED = "DeployAborted";
  /** A serving process exited, or did not become healthy in time. */
  public static final String SERVING_FAILED = "ServingFailed";

  private FailureTypes() {}

  /** A drain ended with VMs still on its node; the message names each and why. */
  public static final String DRAIN_INCOMPLETE = "DrainIncomplete";
}
